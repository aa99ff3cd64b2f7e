import { MockAnswer } from '../exchange/answer-writer';
import { openAiError } from '../openai/openai-error';
import { ParsedForm } from './multipart-form';

const json = (status: number, body: unknown): MockAnswer => ({ kind: 'json', status, body });
const refuse = (message: string, param: string): MockAnswer =>
  json(400, openAiError(message, 'invalid_request_error', param));

/** A tiny image every answer carries, so the b64 decodes to the same bytes each time. */
const IMAGE_BYTES = Buffer.from('89504e470d0a1a0a6d6f636b2d696d616765', 'hex');

/** Speech audio is sent in this many chunks of {@link SPEECH_CHUNK_BYTES}. */
export const SPEECH_CHUNKS = 4;
export const SPEECH_CHUNK_BYTES = 16 * 1024;

const AUDIO_TYPES: Record<string, string> = {
  mp3: 'audio/mpeg',
  opus: 'audio/ogg',
  aac: 'audio/aac',
  flac: 'audio/flac',
  wav: 'audio/wav',
  pcm: 'audio/pcm',
};

type Fields = Record<string, unknown>;

/** `POST /v1/images/generations`, `/edits` and `/variations`: one image per `n`. */
export function answerImages(
  fields: Fields,
  kind: 'generations' | 'edits' | 'variations',
): MockAnswer {
  if (kind !== 'variations' && typeof fields.prompt !== 'string') {
    return refuse("Missing required parameter: 'prompt'.", 'prompt');
  }
  if (kind !== 'generations' && filesOf(fields).length === 0) {
    return refuse("Missing required parameter: 'image'.", 'image');
  }
  const n = Number(fields.n ?? 1);
  const asUrl = fields.response_format === 'url';
  const image = asUrl
    ? { url: 'https://mock-provider.invalid/images/mock.png' }
    : { b64_json: IMAGE_BYTES.toString('base64') };
  const model = typeof fields.model === 'string' ? fields.model : 'dall-e-2';
  const usage = model.startsWith('gpt-image')
    ? {
        input_tokens: 10,
        output_tokens: 20,
        total_tokens: 30,
        input_tokens_details: { text_tokens: 10, image_tokens: 0 },
      }
    : undefined;

  return json(200, {
    created: Math.floor(Date.now() / 1000),
    data: Array.from({ length: Number.isInteger(n) && n > 0 ? n : 1 }, () => image),
    ...(usage ? { usage } : {}),
  });
}

/**
 * `POST /v1/audio/speech`: audio bytes, in chunks. The bytes are `MOCK-AUDIO:<model>:<voice>:`
 * followed by the input, repeated to fill {@link SPEECH_CHUNKS} × {@link SPEECH_CHUNK_BYTES}, so
 * a test can compute what it should receive.
 */
export function answerSpeech(fields: Fields): MockAnswer {
  if (typeof fields.input !== 'string')
    return refuse("Missing required parameter: 'input'.", 'input');
  if (typeof fields.voice !== 'string')
    return refuse("Missing required parameter: 'voice'.", 'voice');
  const format = typeof fields.response_format === 'string' ? fields.response_format : 'mp3';

  return {
    kind: 'binary',
    status: 200,
    contentType: AUDIO_TYPES[format] ?? 'application/octet-stream',
    chunks: speechChunks(String(fields.model), fields.voice, fields.input),
  };
}

/** The audio {@link answerSpeech} sends for these fields, chunk by chunk. */
export function speechChunks(model: string, voice: string, input: string): Buffer[] {
  const pattern = Buffer.from(`MOCK-AUDIO:${model}:${voice}:${input}`);
  const whole = Buffer.alloc(SPEECH_CHUNKS * SPEECH_CHUNK_BYTES);
  for (let at = 0; at < whole.length; at += pattern.length) pattern.copy(whole, at);

  return Array.from({ length: SPEECH_CHUNKS }, (_, i) =>
    whole.subarray(i * SPEECH_CHUNK_BYTES, (i + 1) * SPEECH_CHUNK_BYTES),
  );
}

/** `POST /v1/audio/transcriptions` and `/translations`: a text naming the file it heard. */
export function answerTranscript(
  form: ParsedForm,
  kind: 'transcriptions' | 'translations',
): MockAnswer {
  const file = form._multipart.files.find((entry) => entry.field === 'file');
  if (!file) return refuse("Missing required parameter: 'file'.", 'file');
  const verb = kind === 'transcriptions' ? 'transcript' : 'translation';
  const text = `Mock ${verb} of ${file.filename} (${file.size} bytes, sha256 ${file.sha256.slice(0, 12)}) for ${String(form.model)}`;
  switch (form.response_format ?? 'json') {
    case 'json':
      return json(200, { text, usage: { type: 'duration', seconds: 3 } });
    case 'verbose_json':
      return json(200, {
        task: kind === 'transcriptions' ? 'transcribe' : 'translate',
        language: 'english',
        duration: 3,
        text,
        segments: [],
      });
    case 'text':
    case 'srt':
    case 'vtt':
      return { kind: 'text', status: 200, body: text };
    default:
      return refuse('Unsupported response_format.', 'response_format');
  }
}

function filesOf(fields: Fields): unknown[] {
  const multipart = fields._multipart as ParsedForm['_multipart'] | undefined;

  return multipart?.files ?? [];
}

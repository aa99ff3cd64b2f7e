import { createHash } from 'node:crypto';

import { RunningStack, startStack } from '@xai/devstack';
import OpenAI, { toFile } from 'openai';

import { AdminClient, eventually } from './admin-client';
import { MockControl } from './mock-control';
import { addMockKeys } from './mock-keys';

interface MultipartRecord {
  path: string;
  model: string | null;
  body: {
    model?: string;
    _multipart?: {
      sha256: string;
      size: number;
      files: Array<{ field: string; filename: string; size: number; sha256: string }>;
    };
  };
}

const OPENAI_SECRET = 'sk-media-test-openai-0001';
const ANTHROPIC_SECRET = 'sk-ant-media-test-0002';
const BOUNDARY = '----xai-media-e2e';
/** Every byte value, a CRLF and lookalikes of the delimiter: a boundary parser's traps. */
const AUDIO = Buffer.concat([
  Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
  Buffer.from(`\r\n--${BOUNDARY.slice(0, -1)}x\r\n--\r\n`),
  Buffer.alloc(200_000, 0xab),
]);

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

function form(model: string, file: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="talk.mp3"\r\n` +
        'Content-Type: audio/mpeg\r\n\r\n',
    ),
    file,
    Buffer.from(`\r\n--${BOUNDARY}\r\nContent-Disposition: form-data; name="model"\r\n\r\n`),
    Buffer.from(model),
    Buffer.from(`\r\n--${BOUNDARY}\r\nContent-Disposition: form-data; name="prompt"\r\n\r\n`),
    Buffer.from(`kept as sent ✓\r\n--${BOUNDARY}--\r\n`),
  ]);
}

/** The speech audio the mock sends: its pattern repeated over four chunks of 16 KiB. */
function expectedSpeech(model: string, voice: string, input: string): Buffer {
  const pattern = Buffer.from(`MOCK-AUDIO:${model}:${voice}:${input}`);
  const whole = Buffer.alloc(4 * 16 * 1024);
  for (let at = 0; at < whole.length; at += pattern.length) pattern.copy(whole, at);

  return whole;
}

describe('images and audio pass through to OpenAI-type keys', () => {
  let stack: RunningStack;
  let openai: OpenAI;
  let mock: MockControl;
  let admin: AdminClient;

  const lastRecord = async (path: string): Promise<MultipartRecord> => {
    const response = await fetch(
      `${stack.mockProviderUrl}/_mock/requests?apiKey=${encodeURIComponent(OPENAI_SECRET)}`,
    );
    const records = (await response.json()) as MultipartRecord[];
    const record = records.filter((entry) => entry.path === path).at(-1);
    if (!record) throw new Error(`the mock received no ${path}`);

    return record;
  };

  const post = (path: string, body: Buffer, contentType: string) =>
    fetch(`${stack.gatewayUrl}/v1${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.ownerKey}`, 'content-type': contentType },
      body,
    });

  beforeAll(async () => {
    stack = await startStack({ isolate: true, withMockProvider: true });
    admin = new AdminClient(stack.gatewayUrl, stack.ownerKey);
    mock = new MockControl(stack.mockProviderUrl ?? '');
    await addMockKeys(
      admin,
      stack.mockProviderUrl,
      { openai: OPENAI_SECRET, anthropic: ANTHROPIC_SECRET },
      {
        LevelMapper: 'claude*=2',
        ModelMapper: 'whisper-alias=whisper-1',
      },
    );
    openai = new OpenAI({
      baseURL: `${stack.gatewayUrl}/v1`,
      apiKey: stack.ownerKey,
      maxRetries: 0,
    });
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('generates an image through the OpenAI SDK', async () => {
    const image = await openai.images.generate({ model: 'gpt-image-1', prompt: 'a red hat' });

    expect(Buffer.from(image.data?.[0].b64_json ?? '', 'base64').toString('hex')).toBe(
      '89504e470d0a1a0a6d6f636b2d696d616765',
    );
    expect((await lastRecord('/v1/images/generations')).body.model).toBe('gpt-image-1');
  });

  it('edits an uploaded image through the OpenAI SDK, the file arriving intact', async () => {
    const picture = Buffer.concat([AUDIO, Buffer.from('png-ish')]);

    const edited = await openai.images.edit({
      model: 'gpt-image-1',
      image: await toFile(picture, 'cat.png', { type: 'image/png' }),
      prompt: 'add a hat',
    });

    expect(edited.data).toHaveLength(1);
    const record = await lastRecord('/v1/images/edits');
    expect(record.model).toBe('gpt-image-1');
    expect(record.body._multipart?.files).toEqual([
      expect.objectContaining({
        filename: 'cat.png',
        size: picture.length,
        sha256: sha256(picture),
      }),
    ]);
  });

  it('transcribes an uploaded file through the OpenAI SDK', async () => {
    const transcript = await openai.audio.transcriptions.create({
      model: 'whisper-1',
      file: await toFile(AUDIO, 'talk.mp3', { type: 'audio/mpeg' }),
    });

    expect(transcript.text).toBe(
      `Mock transcript of talk.mp3 (${AUDIO.length} bytes, sha256 ${sha256(AUDIO).slice(0, 12)}) for whisper-1`,
    );
  });

  it('streams speech audio back as the provider sends it', async () => {
    const speech = await openai.audio.speech.create({
      model: 'tts-1',
      voice: 'alloy',
      input: 'Hello there',
    });

    expect(speech.headers.get('content-type')).toBe('audio/mpeg');
    expect(speech.headers.get('x-request-id')).toMatch(/^req_/);
    expect(
      Buffer.from(await speech.arrayBuffer()).equals(
        expectedSpeech('tts-1', 'alloy', 'Hello there'),
      ),
    ).toBe(true);
  });

  it('relays the first audio chunk before the provider has sent the last', async () => {
    await mock.behave({
      apiKey: OPENAI_SECRET,
      path: '/v1/audio/speech',
      chunkDelayMs: 400,
      times: 1,
    });
    const started = Date.now();
    const response = await fetch(`${stack.gatewayUrl}/v1/audio/speech`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.ownerKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'tts-1', voice: 'echo', input: 'slow' }),
    });
    const reader = response.body!.getReader();

    const first = await reader.read();
    const firstAt = Date.now() - started;
    const parts = [Buffer.from(first.value ?? [])];
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      parts.push(Buffer.from(next.value));
    }
    const doneAt = Date.now() - started;

    expect(Buffer.concat(parts).equals(expectedSpeech('tts-1', 'echo', 'slow'))).toBe(true);
    // Three paced gaps of 400 ms follow the first chunk: it cannot have waited for them.
    expect(doneAt - firstAt).toBeGreaterThanOrEqual(1_000);
  });

  it('cuts the client’s audio when the provider’s breaks, never ending it as if whole', async () => {
    await mock.behave({
      apiKey: OPENAI_SECRET,
      path: '/v1/audio/speech',
      failAfterChunks: 2,
      times: 1,
    });

    const response = await post(
      '/audio/speech',
      Buffer.from(JSON.stringify({ model: 'tts-1', voice: 'echo', input: 'cut' })),
      'application/json',
    );

    expect(response.status).toBe(200);
    await expect(response.arrayBuffer()).rejects.toThrow();
    const requestId = response.headers.get('x-request-id');
    const record = await eventually(async () => {
      const { json } = await admin.request('GET', `/x-audit?request_id=${requestId}`);

      return (json.data as Array<Record<string, unknown>>)[0];
    });
    expect(record).toMatchObject({ errorCode: 'upstream_stream_error' });
  });

  it('passes a multipart body byte for byte, boundary and all', async () => {
    const body = form('whisper-1', AUDIO);

    const response = await post(
      '/audio/translations',
      body,
      `multipart/form-data; boundary=${BOUNDARY}`,
    );

    expect(response.status).toBe(200);
    const record = await lastRecord('/v1/audio/translations');
    expect(record.body._multipart).toMatchObject({ size: body.length, sha256: sha256(body) });
  });

  it('renames the model inside a multipart body and changes nothing else', async () => {
    const response = await post(
      '/audio/transcriptions',
      form('whisper-alias', AUDIO),
      `multipart/form-data; boundary="${BOUNDARY}"`,
    );

    expect(response.status).toBe(200);
    expect(response.headers.get('x-xai-upstream-model')).toBe('whisper-1');
    const record = await lastRecord('/v1/audio/transcriptions');
    expect(record.body._multipart?.sha256).toBe(sha256(form('whisper-1', AUDIO)));
  });

  it('refuses a model routed to a non-OpenAI key with a clear 400', async () => {
    const response = await post(
      '/audio/transcriptions',
      form('claude-x', AUDIO),
      `multipart/form-data; boundary=${BOUNDARY}`,
    );
    const body = (await response.json()) as { error: Record<string, unknown> };

    expect(response.status).toBe(400);
    expect(body.error.message).toContain('OpenAI-type provider keys only');
    expect(body.error.request_id).toBe(response.headers.get('x-request-id'));
  });

  it('refuses a form without a model, two models, or the wrong body type', async () => {
    const noModel = Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="prompt"\r\n\r\nx\r\n--${BOUNDARY}--\r\n`,
    );
    const type = `multipart/form-data; boundary=${BOUNDARY}`;

    const twoModels = Buffer.concat([
      Buffer.from(
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="model"\r\n\r\ndall-e-2\r\n`,
      ),
      form('gpt-image-1', Buffer.from('img')),
    ]);

    const missing = await post('/images/variations', noModel, type);
    const twice = await post('/images/variations', twoModels, type);
    const json = await post(
      '/images/edits',
      Buffer.from('{"model":"gpt-image-1"}'),
      'application/json',
    );

    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: { param: string } }).error.param).toBe('model');
    expect(twice.status).toBe(400);
    expect(((await twice.json()) as { error: { message: string } }).error.message).toContain(
      'more than one model field',
    );
    expect(json.status).toBe(400);
    expect(((await json.json()) as { error: { message: string } }).error.message).toContain(
      'multipart/form-data',
    );
  });

  it('relays a provider error in OpenAI shape with the request id', async () => {
    await mock.behave({
      apiKey: OPENAI_SECRET,
      path: '/v1/images/generations',
      status: 400,
      times: 1,
    });

    const response = await post(
      '/images/generations',
      Buffer.from('{"model":"dall-e-2","prompt":"x"}'),
      'application/json',
    );
    const body = (await response.json()) as { error: Record<string, unknown> };

    expect(response.status).toBe(400);
    expect(body.error.message).toBe('The mock was told to refuse this request.');
    expect(body.error.request_id).toBe(response.headers.get('x-request-id'));
  });
});

import { z } from 'zod';

import { isJsonObject, parseUpstream } from '../protocols/json';
import { MalformedUpstreamResponseException, TranslationException } from './translation.exception';

/*
 * OpenAI embeddings (`/v1/embeddings`) on Gemini keys: the inputs become the requests of one
 * `models/{model}:batchEmbedContents` call, and Gemini's vectors come back as OpenAI's list.
 */

/** Gemini embeds at most this many contents in one batch. */
export const GEMINI_MAX_EMBEDDING_BATCH = 100;

/** What the answer's translation needs from the request. */
export interface GeminiEmbeddingsContext {
  /** The model as the caller will see it in the answer. */
  model: string;
  /** The caller asked for base64 (little-endian float32), as the OpenAI SDK does by default. */
  base64: boolean;
  inputCount: number;
  /** Prompt tokens, estimated: Gemini's batch answer carries no token counts. */
  estimatedTokens: number;
}

/** An embeddings request translated for Gemini. */
export interface TranslatedEmbeddingsRequest {
  body: { requests: object[] };
  /** The path after the API version, such as `/models/gemini-embedding-001:batchEmbedContents`. */
  path: string;
  context: GeminiEmbeddingsContext;
}

/**
 * Translates an OpenAI embeddings body for Gemini: each input a request of one
 * `batchEmbedContents` call, `dimensions` as `outputDimensionality`. `user` (an id for
 * OpenAI's abuse monitoring) has no counterpart and changes nothing in the answer, so it is
 * not sent.
 *
 * @throws TranslationException (→ 400) for token-id inputs, more than 100 inputs, an unknown
 *   `encoding_format`, or any other field.
 */
export function openAiEmbeddingsToGemini(body: unknown): TranslatedEmbeddingsRequest {
  if (!isJsonObject(body)) throw new TranslationException('(body)', 'The body must be an object.');
  for (const field of Object.keys(body)) {
    if (!['model', 'input', 'encoding_format', 'dimensions', 'user'].includes(field)) {
      throw TranslationException.unsupported(
        field,
        'Gemini',
        'batchEmbedContents has no such option',
      );
    }
  }
  const model = typeof body.model === 'string' ? body.model : '';
  const inputs = textInputs(body.input);
  const dimensions = dimensionsOf(body.dimensions);
  const modelName = model.startsWith('models/') ? model : `models/${model}`;
  const requests = inputs.map((text) => ({
    model: modelName,
    content: { parts: [{ text }] },
    ...(dimensions === undefined ? {} : { outputDimensionality: dimensions }),
  }));
  const path = `/${modelName.split('/').map(encodeURIComponent).join('/')}:batchEmbedContents`;

  return {
    body: { requests },
    path,
    context: {
      model,
      base64: encodingOf(body.encoding_format) === 'base64',
      inputCount: inputs.length,
      estimatedTokens: inputs.reduce(
        (sum, text) => sum + Math.max(1, Math.ceil(text.length / 4)),
        0,
      ),
    },
  };
}

function textInputs(input: unknown): string[] {
  const inputs = typeof input === 'string' ? [input] : input;
  if (!Array.isArray(inputs) || inputs.length === 0) {
    throw new TranslationException('input', "'input' must be a string or an array of strings.");
  }
  if (!inputs.every((item): item is string => typeof item === 'string')) {
    throw TranslationException.unsupported('input', 'Gemini', 'it embeds text, not token ids');
  }
  if (inputs.length > GEMINI_MAX_EMBEDDING_BATCH) {
    throw TranslationException.unsupported(
      'input',
      'Gemini',
      `it embeds at most ${GEMINI_MAX_EMBEDDING_BATCH} inputs per request, and this one has ${inputs.length}`,
    );
  }

  return inputs;
}

function dimensionsOf(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;

  throw new TranslationException('dimensions', "'dimensions' must be a positive integer.");
}

function encodingOf(value: unknown): 'float' | 'base64' {
  if (value === undefined || value === null || value === 'float') return 'float';
  if (value === 'base64') return 'base64';

  throw new TranslationException(
    'encoding_format',
    "'encoding_format' must be 'float' or 'base64'.",
  );
}

const BatchEmbedResponseSchema = z.object({
  embeddings: z.array(z.object({ values: z.array(z.number()) })),
});

/**
 * Translates Gemini's `batchEmbedContents` answer into OpenAI's embeddings list, vectors as
 * floats or base64 as the caller asked, with the estimated usage.
 *
 * @throws MalformedUpstreamResponseException (→ 502) when the answer cannot be read, or has
 *   not one vector per input.
 */
export function geminiEmbeddingsToOpenAi(body: unknown, context: GeminiEmbeddingsContext): object {
  const { embeddings } = parseUpstream(BatchEmbedResponseSchema, body);
  if (embeddings.length !== context.inputCount) {
    throw new MalformedUpstreamResponseException(
      `${embeddings.length} embeddings for ${context.inputCount} inputs`,
    );
  }

  return {
    object: 'list',
    data: embeddings.map((embedding, index) => ({
      object: 'embedding',
      index,
      embedding: context.base64 ? float32Base64(embedding.values) : embedding.values,
    })),
    model: context.model,
    usage: { prompt_tokens: context.estimatedTokens, total_tokens: context.estimatedTokens },
  };
}

function float32Base64(values: number[]): string {
  const floats = Float32Array.from(values);

  return Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength).toString('base64');
}

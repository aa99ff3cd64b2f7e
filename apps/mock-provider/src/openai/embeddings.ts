import { fnv1a } from '../model/words';
import { EmbeddingsRequest } from './openai-requests';

const DEFAULT_DIMENSIONS = 1536;
const LARGE_DIMENSIONS = 3072;

/**
 * An embeddings `list` for the request: one unit-length vector per input, seeded by a hash
 * of that input (so equal inputs embed equally), `dimensions` long (1536 by default, 3072 for
 * a model named `*large*`), as float arrays or, with `encoding_format: 'base64'`, as
 * little-endian float32 bytes in base64 (what the OpenAI SDK asks for by default).
 */
export function embeddingsList(request: EmbeddingsRequest) {
  const inputs = normaliseInputs(request.input);
  const dimensions =
    request.dimensions ?? (request.model.includes('large') ? LARGE_DIMENSIONS : DEFAULT_DIMENSIONS);
  const base64 = request.encoding_format === 'base64';
  const promptTokens = inputs.reduce((sum, input) => sum + inputTokens(input), 0);

  return {
    object: 'list',
    data: inputs.map((input, index) => {
      const vector = unitVector(fnv1a(JSON.stringify(input)), dimensions);

      return {
        object: 'embedding',
        index,
        embedding: base64 ? Buffer.from(vector.buffer).toString('base64') : Array.from(vector),
      };
    }),
    model: request.model,
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  };
}

type EmbeddingInput = string | number[];

function normaliseInputs(input: EmbeddingsRequest['input']): EmbeddingInput[] {
  if (typeof input === 'string') return [input];
  if (input.every((item): item is number => typeof item === 'number')) return [input];

  return input;
}

function inputTokens(input: EmbeddingInput): number {
  return typeof input === 'string' ? Math.max(1, Math.ceil(input.length / 4)) : input.length;
}

/** A unit-length vector of `dimensions` floats, the same for the same seed. */
export function unitVector(seed: number, dimensions: number): Float32Array {
  const next = mulberry32(seed);
  const vector = new Float32Array(dimensions);
  let sumOfSquares = 0;
  for (let index = 0; index < dimensions; index++) {
    vector[index] = next() * 2 - 1;
    sumOfSquares += vector[index] * vector[index];
  }
  const norm = Math.sqrt(sumOfSquares) || 1;
  for (let index = 0; index < dimensions; index++) vector[index] /= norm;

  return vector;
}

function mulberry32(seed: number): () => number {
  let state = seed;

  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);

    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

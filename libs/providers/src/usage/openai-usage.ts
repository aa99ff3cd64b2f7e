import type { Usage } from '@xai/events';

import { tokenSum } from '../translate/usage-mapping';

/**
 * Reads token usage from an OpenAI-shaped answer: a chat completion, a completion, an
 * embeddings list, or the last chunk of a stream requested with
 * `stream_options.include_usage`. Responses-API names (`input_tokens`, `output_tokens`) are
 * read too. Embeddings carry no completion tokens (0); a missing total is the sum.
 *
 * @returns the usage, or `null` when `body` carries none (most stream chunks) or it is malformed.
 */
export function extractOpenAiUsage(body: unknown): Usage | null {
  if (!isRecord(body) || !isRecord(body.usage)) return null;
  const usage = body.usage;
  const promptTokens = tokenCount(usage.prompt_tokens ?? usage.input_tokens);
  const completionTokens = tokenCount(usage.completion_tokens ?? usage.output_tokens ?? 0);
  if (promptTokens === null || completionTokens === null) return null;
  const totalTokens = tokenCount(usage.total_tokens ?? tokenSum(promptTokens, completionTokens));
  if (totalTokens === null) return null;

  return { promptTokens, completionTokens, totalTokens };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function tokenCount(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null;
}

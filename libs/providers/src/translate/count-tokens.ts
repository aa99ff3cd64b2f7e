import { z } from 'zod';

import type { GeminiRequestOut } from '../protocols/gemini-content';
import { isJsonObject, parseUpstream } from '../protocols/json';
import { anthropicToGemini } from './anthropic-via-gemini';
import { TranslationException } from './translation.exception';

/** A `countTokens` request for Gemini, and the model for its URL. */
export interface GeminiCountTokensTranslation {
  body: { generateContentRequest: GeminiRequestOut & { model: string } };
  model: string;
}

/**
 * Translates an Anthropic `POST /v1/messages/count_tokens` body (a Messages request without
 * `max_tokens`) into a Gemini `countTokens` request, which counts the whole
 * `generateContentRequest` (system instruction and tools included), as Anthropic does.
 *
 * @throws TranslationException naming the first field Gemini cannot express.
 */
export function anthropicCountTokensToGemini(body: unknown): GeminiCountTokensTranslation {
  if (!isJsonObject(body)) {
    throw new TranslationException('(body)', 'The request body must be a JSON object.');
  }
  // count_tokens takes no output limit; a placeholder satisfies the Messages schema and the
  // generation settings it turns into are dropped below, since they do not change the count.
  const { body: request, model } = anthropicToGemini(
    { ...body, max_tokens: 1, stream: false },
    { countOnly: true },
  );
  const counted: GeminiRequestOut = { ...request };
  delete counted.generationConfig;

  return { body: { generateContentRequest: { model: `models/${model}`, ...counted } }, model };
}

const CountTokensResponseSchema = z
  .object({ totalTokens: z.number().int().nonnegative() })
  .passthrough();

/**
 * Translates Gemini's `countTokens` answer into Anthropic's: `{ input_tokens }`.
 *
 * @throws MalformedUpstreamResponseException when the answer has no `totalTokens`.
 */
export function geminiCountTokensToAnthropic(body: unknown): { input_tokens: number } {
  return { input_tokens: parseUpstream(CountTokensResponseSchema, body).totalTokens };
}

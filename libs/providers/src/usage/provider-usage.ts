import type { Usage } from '@xai/events';

import { AnthropicStreamEventSchema, AnthropicUsage } from '../protocols/anthropic-messages';
import { GeminiResponseSchema } from '../protocols/gemini-content';
import { isJsonObject } from '../protocols/json';
import type { SseEvent } from '../sse/sse-parser';
import { anthropicMeteredUsage, geminiMeteredUsage } from '../translate/usage-mapping';

/**
 * Reads token usage from an Anthropic `message` (or a `message_start` event's message), in
 * OpenAI's meaning: prompt tokens include cache reads and writes; cache reads and thinking
 * tokens are given as details when Anthropic reported them.
 *
 * @returns the usage, or `null` when `body` carries none or it is malformed.
 */
export function extractAnthropicUsage(body: unknown): Usage | null {
  if (!isJsonObject(body) || !isJsonObject(body.usage)) return null;
  const parsed = AnthropicStreamEventSchema.shape.usage.safeParse(body.usage);
  if (!parsed.success || !parsed.data || typeof parsed.data.input_tokens !== 'number') return null;

  return anthropicMeteredUsage(parsed.data);
}

/**
 * Reads token usage from a Gemini GenerateContentResponse (or the last event of a stream), in
 * OpenAI's meaning: completion tokens include thinking tokens.
 *
 * @returns the usage, or `null` when `body` carries none or it is malformed.
 */
export function extractGeminiUsage(body: unknown): Usage | null {
  const parsed = GeminiResponseSchema.safeParse(body);
  if (!parsed.success || !parsed.data.usageMetadata) return null;

  return geminiMeteredUsage(parsed.data.usageMetadata);
}

/**
 * Follows the usage of an Anthropic stream relayed untranslated (an Anthropic caller on an
 * Anthropic provider): `message_start` gives the input side, each `message_delta` cumulative
 * totals that replace earlier ones.
 */
export class AnthropicStreamUsage {
  private current: AnthropicUsage | null = null;

  /** The usage seen so far; null before `message_start`. */
  get usage(): Usage | null {
    return this.current ? anthropicMeteredUsage(this.current) : null;
  }

  /** Reads one relayed event; events without usage and unreadable ones are skipped. */
  observe(event: SseEvent): void {
    if (event.event !== 'message_start' && event.event !== 'message_delta') return;
    let payload: unknown;
    try {
      payload = JSON.parse(event.data);
    } catch {
      return;
    }
    const parsed = AnthropicStreamEventSchema.safeParse(payload);
    if (!parsed.success) return;
    const usage = parsed.data.message?.usage ?? parsed.data.usage;
    if (!usage) return;
    const merged: AnthropicUsage = { ...(this.current ?? {}) };
    for (const [field, value] of Object.entries(usage)) {
      if (value !== null && value !== undefined) merged[field] = value;
    }
    this.current = merged;
  }
}

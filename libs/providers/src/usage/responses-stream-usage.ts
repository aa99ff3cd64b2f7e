import type { Usage } from '@xai/events';

import { isJsonObject } from '../protocols/json';
import type { SseEvent } from '../sse/sse-parser';

/** The events that end a Responses stream; each carries the whole `response` with its usage. */
const FINAL_EVENTS = new Set(['response.completed', 'response.incomplete', 'response.failed']);

/**
 * Follows the usage of an OpenAI Responses stream relayed untranslated (a `/v1/responses`
 * caller on an OpenAI-type key): the final `response.completed` (or `incomplete` / `failed`)
 * event holds the response, whose `usage` is read with `read` — the same reader as for a
 * non-streamed response (`input_tokens`, `input_tokens_details.cached_tokens`,
 * `output_tokens`, `output_tokens_details.reasoning_tokens`).
 */
export class ResponsesStreamUsage {
  private current: Usage | null = null;

  constructor(private readonly read: (response: unknown) => Usage | null) {}

  /** The usage of the final event; null before it. */
  get usage(): Usage | null {
    return this.current;
  }

  /** Reads one relayed event; other events and unreadable ones are skipped. */
  observe(event: SseEvent): void {
    const type = event.event === 'message' ? undefined : event.event;
    if (type !== undefined && !FINAL_EVENTS.has(type)) return;
    let payload: unknown;
    try {
      payload = JSON.parse(event.data);
    } catch {
      return;
    }
    if (!isJsonObject(payload) || typeof payload.type !== 'string') return;
    if (!FINAL_EVENTS.has(payload.type)) return;
    this.current = this.read(payload.response) ?? this.current;
  }
}

import { SseEvent } from '@xai/providers';

/** Named events that end an answer: Anthropic's `message_stop`, the Responses API's ends. */
const FINAL_EVENTS = new Set([
  'message_stop',
  'response.completed',
  'response.incomplete',
  'response.failed',
]);

/** How an upstream stream has ended so far, as the events passing through tell. */
export type StreamEnding = 'open' | 'complete' | 'error';

/**
 * Follows a relayed stream for the marks of a finished answer, so that a provider closing the
 * connection cleanly before the end is not taken for a complete answer (DESIGN.md section 6):
 * `[DONE]` or a `finish_reason` (OpenAI chat and completions), `message_stop` (Anthropic), a
 * final `response.*` event (Responses API); or an error event of the provider's own, which
 * ends the stream as a failure.
 */
export class StreamCompletion {
  private state: StreamEnding = 'open';
  private finishedByChunk = false;
  private doneSeen = false;

  /** `complete` once the answer was marked finished, `error` once the provider sent an error. */
  get ending(): StreamEnding {
    return this.state;
  }

  /**
   * Whether an OpenAI stream finished (a `finish_reason`) without the `data: [DONE]` that
   * OpenAI's SDKs wait for: the relay adds it.
   */
  get lacksDoneMark(): boolean {
    return this.state === 'complete' && this.finishedByChunk && !this.doneSeen;
  }

  /** Notes one event; `chunk` is its data already parsed as an object, when it is one. */
  observe(event: SseEvent, chunk?: Record<string, unknown>): void {
    if (event.data === '[DONE]') this.doneSeen = true;
    if (this.state !== 'open') return;
    if (event.event === 'error' || (chunk !== undefined && chunk.error !== undefined)) {
      this.state = 'error';
    } else if (event.data === '[DONE]' || FINAL_EVENTS.has(event.event)) {
      this.state = 'complete';
    } else if (finished(chunk)) {
      this.state = 'complete';
      this.finishedByChunk = true;
    }
  }
}

/** An event's data parsed as a JSON object; undefined when it is not one. */
export function eventObject(data: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(data);

    return typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** An OpenAI chunk with a finish reason on one of its choices. */
function finished(chunk: Record<string, unknown> | undefined): boolean {
  const choices = chunk?.choices;

  return (
    Array.isArray(choices) &&
    choices.some(
      (choice: unknown) =>
        typeof choice === 'object' &&
        choice !== null &&
        typeof (choice as { finish_reason?: unknown }).finish_reason === 'string',
    )
  );
}

/** The error that ends a stream the provider closed before finishing the answer. */
export class IncompleteStreamError extends Error {
  readonly code = 'XAI_STREAM_INCOMPLETE';

  constructor() {
    super('The provider closed the stream before the answer was complete.');
    this.name = 'IncompleteStreamError';
  }
}

import { SseEvent } from '@xai/providers';

import { eventObject } from './stream-completion';

/** Why a relayed stream ended badly, as the relay tells it. */
export interface StreamProblem {
  code: string;
  message: string;
}

/** Writes the events that end a broken stream in the caller's protocol. */
export interface StreamEnding {
  /** Notes one relayed event. */
  observe(event: SseEvent): void;
  /** The SSE text that ends the stream after `problem`. */
  failure(problem: StreamProblem, requestId: string): string;
}

/**
 * Ends a Responses API stream (relayed untranslated) that broke or closed early the way OpenAI
 * ends a failed one, so that every client notices: an `error` event, whose nested `error`
 * object makes the OpenAI SDKs raise it (its top-level `code`, `message` and `param` are the
 * documented event fields), then `response.failed` with the response opened by
 * `response.created`, which clients waiting for a final event (Codex) read as the failure.
 * Each gets the next `sequence_number`.
 *
 * TODO(#5): a stream whose status line a keep-alive already sent before the provider refused
 * (or no key was left) still ends with a chat-shaped `data: {"error": …}` event, which the SDKs
 * raise too, but without `response.failed`.
 */
export class ResponsesStreamEnding implements StreamEnding {
  private nextSequence = 0;
  private response: Record<string, unknown> | undefined;

  observe(event: SseEvent): void {
    const data = eventObject(event.data);
    if (!data) return;
    if (typeof data.sequence_number === 'number') this.nextSequence = data.sequence_number + 1;
    const response = data.response;
    if (typeof response === 'object' && response !== null && !Array.isArray(response)) {
      this.response = response as Record<string, unknown>;
    }
  }

  failure(problem: StreamProblem, requestId: string): string {
    const { code, message } = problem;
    const error = { type: 'server_error', code, message, param: null, request_id: requestId };
    const events = [
      event('error', {
        type: 'error',
        sequence_number: this.nextSequence++,
        code,
        message,
        param: null,
        error,
      }),
    ];
    if (this.response) {
      const failed = {
        ...this.response,
        status: 'failed',
        error: { code: 'server_error', message },
      };
      events.push(
        event('response.failed', {
          type: 'response.failed',
          sequence_number: this.nextSequence++,
          response: failed,
        }),
      );
    }

    return events.join('');
  }
}

function event(type: string, data: object): string {
  return `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}

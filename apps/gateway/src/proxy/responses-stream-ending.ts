import { randomUUID } from 'node:crypto';

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

    return this.failed({ type: 'server_error', code, message, param: null, request_id: requestId });
  }

  /**
   * The events ending a stream whose status line a keep-alive sent before any provider answered,
   * after an error in OpenAI's shape (`{"error": {…}}`: a refusal, or no key left). No provider
   * opened a response then, so `response.failed` carries one made for `model`.
   */
  refusal(body: object, model: string): string {
    this.response ??= {
      id: `resp_${randomUUID().replace(/-/g, '')}`,
      object: 'response',
      created_at: Math.floor(Date.now() / 1000),
      status: 'in_progress',
      model,
      output: [],
    };

    return this.failed(errorFieldsOf(body));
  }

  private failed(error: Record<string, unknown>): string {
    const { code, message } = error;
    const events = [
      event('error', {
        type: 'error',
        sequence_number: this.nextSequence++,
        code,
        message,
        param: error.param ?? null,
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

/** The `error` object of an OpenAI-shaped error body. */
function errorFieldsOf(body: object): Record<string, unknown> {
  const error = (body as { error?: unknown }).error;
  if (typeof error === 'object' && error !== null && !Array.isArray(error)) {
    return error as Record<string, unknown>;
  }

  return { type: 'server_error', code: 'server_error', message: 'The call failed.', param: null };
}

function event(type: string, data: object): string {
  return `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}

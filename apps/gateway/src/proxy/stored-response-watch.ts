import { Usage } from '@xai/events';
import { SseEvent } from '@xai/providers';

import { eventObject } from './stream-completion';

/** Follows a relayed stream's usage (see `PreparedCall.streamUsage`). */
export interface StreamUsageReader {
  observe(event: SseEvent): void;
  readonly usage: Usage | null;
}

/**
 * Spots the id of a response an OpenAI-type key stored, in a whole answer or in the
 * `response.created` event that opens its stream, and reports it once, so that later calls
 * about that response (`GET`, `DELETE`, `previous_response_id`) reach the same key. A
 * response made with `store: false` is not reported: the provider keeps nothing.
 */
export class StoredResponseWatch {
  private reported = false;

  constructor(private readonly report: (responseId: string) => void) {}

  /** Reads a whole (non-streamed) answer. */
  fromBody(json: unknown): void {
    this.note(json);
  }

  /** Wraps a stream's usage reader so that it also watches for `response.created`. */
  watching(usage: StreamUsageReader): StreamUsageReader {
    const observe = (event: SseEvent): void => {
      usage.observe(event);
      if (!this.reported && event.event === 'response.created') {
        this.note(eventObject(event.data)?.response);
      }
    };

    return {
      observe,
      get usage() {
        return usage.usage;
      },
    };
  }

  private note(response: unknown): void {
    if (this.reported || typeof response !== 'object' || response === null) return;
    const { id, store } = response as { id?: unknown; store?: unknown };
    if (typeof id !== 'string' || store === false) return;
    this.reported = true;
    this.report(id);
  }
}

import { CallerProtocol, SseParser } from '@xai/providers';

import { serialiseEvent, StreamErrorCode } from './sse-relay';
import { eventObject } from './stream-completion';

/** What the router's stream error events carry. */
export interface ErrorMarks {
  requestId: string;
  code: StreamErrorCode;
  /** Whether `code` replaces a code the provider's error gave. */
  replace: boolean;
  /** Replaces the error's message (the router knows better why the stream ended). */
  message?: string;
}

/** SSE text for the caller, with its error events made to carry the router's marks. */
export interface StampedEvents {
  text: string;
  /** How many error events the text holds. */
  errors: number;
}

/**
 * Gives the error events a translator wrote for the caller what the router's own stream error
 * events carry (see `relaySse`), in the caller's shape: the request id (inside `error` for
 * OpenAI, at the top for Anthropic) and, for OpenAI, a `code`: `code` itself when `replace`
 * (the router knows why the stream failed), else only where the provider's error gave none.
 */
export function stampErrorEvents(
  text: string,
  caller: CallerProtocol,
  marks: ErrorMarks,
): StampedEvents {
  if (text === '') return { text, errors: 0 };
  let errors = 0;
  const events = new SseParser().push(Buffer.from(text)).map((event) => {
    const body = eventObject(event.data);
    const stamped = body && stamp(body, caller, event.event === 'error', marks);
    if (!stamped) return serialiseEvent(event);
    errors++;

    return serialiseEvent({ ...event, data: JSON.stringify(stamped) });
  });

  return { text: events.join(''), errors };
}

/** The error body with the marks, or undefined when the event is no error. */
function stamp(
  body: Record<string, unknown>,
  caller: CallerProtocol,
  namedError: boolean,
  marks: ErrorMarks,
): Record<string, unknown> | undefined {
  const error = body.error;
  if (typeof error !== 'object' || error === null) return undefined;
  const fields = error as Record<string, unknown>;
  const message = marks.message === undefined ? {} : { message: marks.message };
  if (caller === 'anthropic') {
    return namedError
      ? { ...body, error: { ...fields, ...message }, request_id: marks.requestId }
      : undefined;
  }
  const code = marks.replace || typeof fields.code !== 'string' ? marks.code : fields.code;

  return { ...body, error: { ...fields, ...message, code, request_id: marks.requestId } };
}

import { ServerResponse } from 'node:http';
import { once } from 'node:events';

import { CallerProtocol, SseEvent, SseLineTooLongException, SseParser } from '@xai/providers';
import { Usage } from '@xai/events';

import { readUsage } from '../audit/usage-details';
import { IdleTimeoutError } from './idle-limits';
import { StreamEnding } from './responses-stream-ending';
import { IncompleteStreamError, StreamCompletion, eventObject } from './stream-completion';

/** How a relayed stream ended. */
export interface RelayOutcome {
  usage: Usage | null;
  /** Set when the upstream stream broke, or closed unfinished, after the first byte. */
  error?: string;
  /** What broke it, for key health. */
  cause?: unknown;
  /**
   * For the audit event when the answer is not whole: `upstream_stream_error` (broken, or an
   * error event of the provider's), `upstream_stream_incomplete` (closed before its end),
   * `upstream_event_too_large` (an event past the router's cap: not the key's fault).
   */
  errorCode?: StreamErrorCode;
}

/** Why a relayed stream is not a whole answer. */
export type StreamErrorCode =
  'upstream_stream_error' | 'upstream_stream_incomplete' | 'upstream_event_too_large';

const BROKEN = {
  code: 'upstream_stream_error',
  message: 'The provider stream ended unexpectedly.',
} as const;
const UNFINISHED = {
  code: 'upstream_stream_incomplete',
  message: 'The provider closed the stream before the answer was complete.',
} as const;

/** An event past the parser's cap: the router's limit, not a fault of the key or network. */
function oversized(error: SseLineTooLongException): { code: StreamErrorCode; message: string } {
  return {
    code: 'upstream_event_too_large',
    message:
      `The provider sent a stream event larger than the router's limit of ` +
      `${error.maxLineLength} characters (XAI_BODY_LIMIT_BYTES); the answer was cut there.`,
  };
}

/** A stream cut by the router because the provider stopped sending (see `ProviderBody`). */
function silent(error: IdleTimeoutError): { code: StreamErrorCode; message: string } {
  return { code: BROKEN.code, message: silenceMessage(error) };
}

/** What the caller is told of a stream cut because the provider fell silent. */
export function silenceMessage(error: IdleTimeoutError): string {
  return `The provider stream was cut: ${error.message}.`;
}

const DONE_MARK = 'data: [DONE]\n\n';

/** How {@link relaySse} relays. */
export interface RelayOptions {
  hideUsageChunk: boolean;
  requestId: string;
  /** The caller's protocol, which shapes the error event of a broken stream. */
  caller: CallerProtocol;
  /** Follows usage in a protocol other than OpenAI's (an Anthropic pass-through stream). */
  usage?: { observe(event: SseEvent): void; readonly usage: Usage | null };
  /** Called after each write to the client (keep-alive bookkeeping). */
  onWrite?: () => void;
  /** Ends a broken stream in a protocol of its own (the Responses API's events). */
  ending?: StreamEnding;
  /** Longest event line accepted (the parser's default when unset); see {@link SseParser}. */
  maxEventLength?: number;
}

/**
 * Relays an upstream SSE stream to the client event by event, as each arrives. Reads the usage
 * chunk for metering, and drops it when the router asked for it on the client's behalf. If the
 * upstream breaks mid-way, or closes cleanly before the answer's end mark (see
 * {@link StreamCompletion}), the client gets the events already sent followed by an error
 * event, never a silent truncation.
 */
export async function relaySse(
  body: AsyncIterable<Buffer | Uint8Array>,
  client: ServerResponse,
  options: RelayOptions,
): Promise<RelayOutcome> {
  const parser = new SseParser({ maxLineLength: options.maxEventLength });
  const completion = new StreamCompletion();
  const outcome: RelayOutcome = { usage: null };
  try {
    for await (const chunk of body) {
      await writeEvents(parser.push(chunk as Buffer), client, outcome, options, completion);
    }
    await writeEvents(parser.end(), client, outcome, options, completion);
    if (completion.ending === 'open') throw new IncompleteStreamError();
    if (completion.ending === 'error') outcome.errorCode = BROKEN.code;
    // A finished OpenAI answer whose provider left out the end mark: the SDKs expect it.
    if (completion.lacksDoneMark && options.caller === 'openai' && !options.usage) {
      await write(client, DONE_MARK);
    }
  } catch (error) {
    if (client.destroyed) throw error;
    const problem =
      error instanceof SseLineTooLongException
        ? oversized(error)
        : error instanceof IncompleteStreamError
          ? UNFINISHED
          : error instanceof IdleTimeoutError
            ? silent(error)
            : BROKEN;
    outcome.error = error instanceof Error ? error.message : 'stream failed';
    outcome.cause = error;
    outcome.errorCode = problem.code;
    const ending = options.ending?.failure(problem, options.requestId);
    await write(client, ending ?? errorEvent(options.caller, options.requestId, problem));
  }
  client.end();

  return outcome;
}

async function writeEvents(
  events: SseEvent[],
  client: ServerResponse,
  outcome: RelayOutcome,
  options: RelayOptions,
  completion: StreamCompletion,
): Promise<void> {
  for (const event of events) {
    options.ending?.observe(event);
    if (options.usage) {
      options.usage.observe(event);
      outcome.usage = options.usage.usage;
      completion.observe(event);
    } else if (event.data === '[DONE]') {
      completion.observe(event);
    } else {
      const chunk = eventObject(event.data);
      completion.observe(event, chunk);
      const usage = chunk ? readUsage(chunk) : null;
      if (usage) outcome.usage = usage;
      if (options.hideUsageChunk && isUsageOnly(chunk)) continue;
    }
    await write(client, serialiseEvent(event));
    options.onWrite?.();
  }
}

/**
 * The chunk a stream ends with when usage was asked for: a usage and no choices (an empty
 * list, or none at all from some compatible hosts). Hidden from a client that did not ask,
 * whether or not its usage could be read; a chunk without choices and without usage (Azure's
 * prompt filter results, say) is the provider's own and is relayed.
 */
function isUsageOnly(chunk: Record<string, unknown> | undefined): boolean {
  if (chunk?.usage === null || chunk?.usage === undefined) return false;

  return !Array.isArray(chunk.choices) || chunk.choices.length === 0;
}

/** One event as SSE text, as it came (its name, id and data lines). */
export function serialiseEvent(event: SseEvent): string {
  const lines = event.event === 'message' ? [] : [`event: ${event.event}`];
  if (event.id !== undefined) lines.push(`id: ${event.id}`);
  for (const line of event.data.split('\n')) lines.push(`data: ${line}`);

  return `${lines.join('\n')}\n\n`;
}

/** The event that ends a broken stream, in the caller's protocol (Anthropic names it `error`). */
export function errorEvent(
  caller: CallerProtocol,
  requestId: string,
  problem: { code: StreamErrorCode; message: string },
): string {
  const { message, code } = problem;
  if (caller === 'anthropic') {
    const error = { type: 'error', error: { type: 'api_error', message }, request_id: requestId };

    return `event: error\ndata: ${JSON.stringify(error)}\n\n`;
  }
  const error = {
    error: {
      message,
      type: 'api_error',
      code,
      param: null,
      request_id: requestId,
    },
  };

  return `data: ${JSON.stringify(error)}\n\n`;
}

async function write(client: ServerResponse, text: string): Promise<void> {
  if (client.destroyed) throw new Error('client closed');
  if (!client.write(text)) await Promise.race([once(client, 'drain'), once(client, 'close')]);
}

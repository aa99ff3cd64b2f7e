import { once } from 'node:events';
import { ServerResponse } from 'node:http';

import {
  CallerProtocol,
  MalformedUpstreamResponseException,
  SecretScrubber,
  scrubValues,
} from '@xai/providers';
import type { FastifyReply } from 'fastify';

import { RequestTrace } from '../audit/request-trace';
import { AnswerReading, AnswerTranslation } from './chat-call';
import { StreamKeepAlive } from './stream-keep-alive';
import { IdleTimeoutError } from './idle-limits';
import { StreamErrorCode, silenceMessage } from './sse-relay';
import { IncompleteStreamError } from './stream-completion';
import { stampErrorEvents } from './stream-error-events';
import { unstreamedAnswerEvents } from './unstreamed-answer';
import { withRequestId } from './upstream-error-body';

/** What a translated answer is relayed with. */
export interface TranslatedRelay {
  caller: CallerProtocol;
  prepared: AnswerReading;
  translation: AnswerTranslation;
  status: number;
  contentType: string;
  headers: Record<string, string>;
  chunks: AsyncIterable<Buffer>;
  reply: FastifyReply;
  trace: RequestTrace;
  /** Open for streamed calls (it may already have committed the status line). */
  keepAlive?: StreamKeepAlive;
  /** Tells key health that a stream broke after its first byte. */
  reportBroken(error: unknown): void;
  /** Scrubs the provider's text of the secret the attempt sent (and key-like values). */
  scrub: SecretScrubber;
  /** Longest stream event accepted from the provider (the body limit). */
  maxEventLength?: number;
}

/**
 * Relays an answer from a provider of another protocol, translated into the caller's:
 * a stream event by event as it arrives, a whole answer at once, an error in the caller's
 * shape. Usage is read in the provider's protocol, so it is metered whichever the caller.
 */
export async function relayTranslated(relay: TranslatedRelay): Promise<void> {
  if (relay.status === 200 && relay.contentType.includes('text/event-stream')) {
    await relayStream(relay);

    return;
  }
  if (relay.status === 200 && relay.keepAlive) {
    await relayUnstreamed(relay, relay.keepAlive);

    return;
  }
  const bytes = await collect(relay.chunks);
  relay.keepAlive?.stop();
  relay.trace.markFirstByte();
  const ok = relay.status >= 200 && relay.status < 300;
  const out = ok ? answerOf(relay, bytes) : translatedError(relay, bytes);
  if (!ok) relay.trace.errorCode = `upstream_${relay.status}`;
  if (relay.keepAlive?.committed) {
    relay.reply.raw.end(committedData(relay.keepAlive, relay.caller, out, !ok));

    return;
  }
  await relay.reply
    .code(ok ? relay.status : clientStatus(relay.status))
    .headers(relay.headers)
    .type('application/json')
    .send(JSON.stringify(out));
}

function answerOf(relay: TranslatedRelay, bytes: Buffer): object {
  const json = parse(bytes);
  if (typeof json === 'string') {
    throw new MalformedUpstreamResponseException(
      'The provider answered with a body that is not JSON.',
    );
  }
  relay.trace.usage = relay.prepared.usageOf(json);

  // Parsing decoded any `\u0063`-style escapes: remove the secret the attempt sent from what it read.
  return relay.translation.body(scrubValues(json, (text) => relay.scrub.knownOnly(text)));
}

/**
 * A stream request the provider answered whole: translated, then sent as the events streaming
 * it would have sent when it is a chat completion (OpenAI callers), else the stream ends with
 * an error event saying the answer was not streamed.
 */
async function relayUnstreamed(relay: TranslatedRelay, stream: StreamKeepAlive): Promise<void> {
  const answer = answerOf(relay, await collect(relay.chunks));
  const { requestId } = relay.trace;
  const ending = relay.prepared.streamEnding;
  const events = unstreamedAnswerEvents(answer, relay.caller, { requestId, ending });
  if (!events.converted) {
    relay.trace.errorCode = 'upstream_not_streamed';
    relay.trace.errorClass = 'upstream';
  }
  stream.open(relay.headers);
  relay.trace.markFirstByte();
  relay.reply.raw.end(events.text);
}

/** A provider's error in the caller's shape, with the router's request id. */
function translatedError(relay: TranslatedRelay, bytes: Buffer): object {
  const scrubbed = Buffer.from(relay.scrub(bytes.toString('utf8')), 'utf8');
  const body = relay.translation.error(relay.status, relay.scrub.values(parse(scrubbed)));

  return withRequestId(relay.caller, body, relay.trace.requestId) as object;
}

async function relayStream(relay: TranslatedRelay): Promise<void> {
  const { reply, trace } = relay;
  const stream = relay.keepAlive ?? new StreamKeepAlive(reply, {}, 0);
  stream.open(relay.headers);
  const translator = relay.translation.stream(relay.maxEventLength);
  const marks = { requestId: trace.requestId, code: BROKEN, replace: false };
  // The translator decodes `\u0063`-style escapes the raw chunks could hide the secret behind.
  const secretFree = relay.scrub.stream();
  let message: string | undefined;
  try {
    for await (const chunk of relay.chunks) {
      const out = stampErrorEvents(translator.push(chunk), relay.caller, marks);
      if (out.text === '') continue;
      // The provider's own error event ends the answer: not whole, as the audit records.
      if (out.errors > 0) failed(trace, BROKEN);
      await write(reply.raw, secretFree.push(Buffer.from(out.text)).toString('utf8'));
      trace.markFirstByte();
      stream.touch();
    }
  } catch (error) {
    if (reply.raw.destroyed) throw error;
    failed(trace, BROKEN);
    relay.reportBroken(error);
    if (error instanceof IdleTimeoutError) message = silenceMessage(error);
  }
  const broken = trace.errorCode === BROKEN;
  const code = broken ? BROKEN : UNFINISHED;
  const ending = { ...marks, code, replace: true, message };
  const last = stampErrorEvents(translator.end(), relay.caller, ending);
  trace.usage = translator.usage;
  if (!broken && trace.errorCode === null && last.errors > 0) {
    // The provider closed the stream before its end mark: the translator told the client so.
    failed(trace, UNFINISHED);
    relay.reportBroken(new IncompleteStreamError());
  }
  reply.raw.end(Buffer.concat([secretFree.push(Buffer.from(last.text)), secretFree.end()]));
}

const BROKEN: StreamErrorCode = 'upstream_stream_error';
const UNFINISHED: StreamErrorCode = 'upstream_stream_incomplete';

function failed(trace: RequestTrace, code: StreamErrorCode): void {
  trace.errorCode = code;
  trace.errorClass = 'upstream';
}

/** One SSE event carrying a whole answer or error, for a stream already committed. */
export function sseData(caller: CallerProtocol, body: object, isError: boolean): string {
  const data = `data: ${JSON.stringify(body)}\n\n`;

  return caller === 'anthropic' && isError ? `event: error\n${data}` : data;
}

/** {@link sseData} for a stream the keep-alive committed: an error as its endpoint ends one. */
export function committedData(
  keepAlive: StreamKeepAlive,
  caller: CallerProtocol,
  body: object,
  isError: boolean,
): string {
  const own = isError ? keepAlive.errorEvents : undefined;

  return own ? own(body) : sseData(caller, body, isError);
}

/** An upstream 401/403 is about the provider key, not the caller's credential: report 502. */
export function clientStatus(upstreamStatus: number): number {
  return upstreamStatus === 401 || upstreamStatus === 403 ? 502 : upstreamStatus;
}

export async function collect(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(chunk);

  return Buffer.concat(parts);
}

function parse(bytes: Buffer): unknown {
  const text = bytes.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

async function write(client: ServerResponse, text: string): Promise<void> {
  if (client.destroyed) throw new Error('client closed');
  if (!client.write(text)) await Promise.race([once(client, 'drain'), once(client, 'close')]);
}

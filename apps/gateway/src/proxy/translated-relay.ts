import { once } from 'node:events';
import { ServerResponse } from 'node:http';

import { CallerProtocol, MalformedUpstreamResponseException, SseParser } from '@xai/providers';
import type { FastifyReply } from 'fastify';

import { RequestTrace } from '../audit/request-trace';
import { AnswerTranslation, PreparedCall } from './chat-call';
import { StreamKeepAlive } from './stream-keep-alive';
import { IncompleteStreamError, StreamCompletion, eventObject } from './stream-completion';
import { withRequestId } from './upstream-error-body';

/** What a translated answer is relayed with. */
export interface TranslatedRelay {
  caller: CallerProtocol;
  prepared: PreparedCall;
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
  scrub: (text: string) => string;
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
  const bytes = await collect(relay.chunks);
  relay.keepAlive?.stop();
  relay.trace.markFirstByte();
  const ok = relay.status >= 200 && relay.status < 300;
  const out = ok ? answerOf(relay, bytes) : translatedError(relay, bytes);
  if (!ok) relay.trace.errorCode = `upstream_${relay.status}`;
  if (relay.keepAlive?.committed) {
    relay.reply.raw.end(sseData(relay.caller, out, !ok));

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

  return relay.translation.body(json);
}

/** A provider's error in the caller's shape, with the router's request id. */
function translatedError(relay: TranslatedRelay, bytes: Buffer): object {
  const scrubbed = Buffer.from(relay.scrub(bytes.toString('utf8')), 'utf8');
  const body = relay.translation.error(relay.status, parse(scrubbed));

  return withRequestId(relay.caller, body, relay.trace.requestId) as object;
}

async function relayStream(relay: TranslatedRelay): Promise<void> {
  const { reply, trace } = relay;
  const stream = relay.keepAlive ?? new StreamKeepAlive(reply, {}, 0);
  stream.open(relay.headers);
  const translator = relay.translation.stream();
  try {
    for await (const chunk of relay.chunks) {
      const text = translator.push(chunk);
      if (text === '') continue;
      await write(reply.raw, text);
      trace.markFirstByte();
      stream.touch();
    }
  } catch (error) {
    if (reply.raw.destroyed) throw error;
    trace.errorCode = 'upstream_stream_error';
    relay.reportBroken(error);
  }
  const last = translator.end();
  trace.usage = translator.usage;
  if (trace.errorCode === null && endsInError(last)) {
    // The provider closed the stream before its end mark: the translator told the client so.
    trace.errorCode = 'upstream_stream_incomplete';
    trace.errorClass = 'upstream';
    relay.reportBroken(new IncompleteStreamError());
  }
  reply.raw.end(last);
}

/** Whether the translator's last words are an error event (the upstream ended unfinished). */
function endsInError(text: string): boolean {
  if (text === '') return false;
  const completion = new StreamCompletion();
  for (const event of new SseParser().push(Buffer.from(text))) {
    completion.observe(event, eventObject(event.data));
  }

  return completion.ending === 'error';
}

/** One SSE event carrying a whole answer or error, for a stream already committed. */
export function sseData(caller: CallerProtocol, body: object, isError: boolean): string {
  const data = `data: ${JSON.stringify(body)}\n\n`;

  return caller === 'anthropic' && isError ? `event: error\n${data}` : data;
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

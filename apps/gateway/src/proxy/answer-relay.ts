import { Readable } from 'node:stream';

import { CallerProtocol, SecretScrubber } from '@xai/providers';
import type { FastifyReply } from 'fastify';

import { RequestTrace } from '../audit/request-trace';
import { readAnswerUsage } from '../audit/usage-details';
import { CallDeadline } from './call-deadline';
import { OpenAiRequest } from './openai-request';
import { RouteHeadersInput, responseHeaders, routeComment } from './response-headers';
import { StreamErrorCode, relaySse } from './sse-relay';
import { StreamKeepAlive } from './stream-keep-alive';
import { clientStatus, collect, committedData, relayTranslated } from './translated-relay';
import { cameUnstreamed, unstreamedAnswerEvents } from './unstreamed-answer';
import { UpstreamAnswer } from './upstream-attempts';
import { relayedErrorBody } from './upstream-error-body';

/** A provider's answer to a chat-like call, and where it goes. */
export interface ChatAnswerRelay {
  answer: UpstreamAnswer;
  /** The model the provider was asked for (the route plan itself is let go by now). */
  upstreamModel: string;
  /** What the caller asked for that shapes the answer (not the request itself, let go by now). */
  asked: Pick<OpenAiRequest, 'stream' | 'clientWantsUsage'>;
  reply: FastifyReply;
  trace: RequestTrace;
  call: CallDeadline;
  caller: CallerProtocol;
  /** Open for streamed calls (it may already have committed the status line). */
  keepAlive?: StreamKeepAlive;
  /** Longest stream event accepted from the provider (the body limit). */
  maxEventLength?: number;
}

/**
 * Relays the answer of a chat-like call (chat, completions, embeddings, Messages): translated
 * when the key speaks another protocol, a stream event by event, a whole answer at once, an
 * upstream error scrubbed and carrying the request id.
 */
export async function relayChatAnswer(relay: ChatAnswerRelay): Promise<void> {
  const { answer, reply, trace, keepAlive } = relay;
  const { response, prepared } = answer;
  const route = {
    requestId: trace.requestId,
    level: answer.level,
    key: answer.key,
    upstreamModel: relay.upstreamModel,
    attempts: answer.attempts,
    routeRule: answer.routeRule,
  };
  const headers = responseHeaders(route, response.headers, answer.scrub);
  trace.status = response.statusCode;
  trace.providerType = answer.key.providerType;
  const contentType = String(response.headers['content-type'] ?? 'application/json');
  // Watched for silence, and without the key it was sent (a provider may echo it, in a 200
  // answer as in an error): see ProviderBody.
  const chunks = response.body;
  // A stream's relay is returned, not awaited: this function's frame (the route, the headers
  // and what they were built from) is let go while the stream lasts, which may be minutes.
  if (prepared?.translation) {
    return relayTranslated({
      ...{ caller: relay.caller, prepared, translation: prepared.translation, scrub: answer.scrub },
      ...{ status: response.statusCode, contentType, headers, chunks, reply, trace, keepAlive },
      reportBroken: (error) => answer.reportBroken(error),
      maxEventLength: relay.maxEventLength,
    });
  }
  if (response.statusCode === 200 && contentType.includes('text/event-stream')) {
    return relayStream(relay, chunks, openStream(relay, headers, route));
  }
  const bytes = await collect(chunks);
  keepAlive?.stop();
  trace.markFirstByte();
  const ok = response.statusCode >= 200 && response.statusCode < 300;
  if (!ok) trace.errorCode = `upstream_${response.statusCode}`;
  if (
    response.statusCode === 200 &&
    cameUnstreamed(trace.endpoint, relay.asked.stream, contentType)
  ) {
    await relayUnstreamed(relay, bytes, openStream(relay, headers, route));

    return;
  }
  if (keepAlive?.committed) {
    endCommitted(relay, keepAlive, ok, bytes);

    return;
  }
  if (ok) {
    trace.usage = readAnswerUsage(bytes, prepared?.usageOf);
    await reply.code(response.statusCode).headers(headers).type(contentType).send(bytes);

    return;
  }
  const status = clientStatus(response.statusCode);
  await reply
    .code(status)
    .headers(headers)
    .type('application/json')
    .send(relayedErrorBody(relay.caller, { status, bytes, ...scrubbedAs(relay) }));
}

/** The client's event stream, its status line sent (by the keep-alive, or now). */
function openStream(
  relay: ChatAnswerRelay,
  headers: Record<string, string>,
  route: RouteHeadersInput,
): StreamKeepAlive {
  const stream = relay.keepAlive ?? new StreamKeepAlive(relay.reply, {}, 0);
  if (!stream.open(headers)) relay.reply.raw.write(routeComment(route));

  return stream;
}

async function relayStream(
  relay: ChatAnswerRelay,
  chunks: AsyncIterable<Buffer>,
  keepAlive: StreamKeepAlive,
): Promise<void> {
  const { answer, trace } = relay;
  const outcome = await relaySse(chunks, relay.reply.raw, {
    hideUsageChunk: !relay.asked.clientWantsUsage && !answer.prepared?.streamUsage,
    usage: answer.prepared?.streamUsage,
    ending: answer.prepared?.streamEnding,
    maxEventLength: relay.maxEventLength,
    requestId: trace.requestId,
    caller: relay.caller,
    onWrite: () => {
      trace.markFirstByte();
      keepAlive.touch();
    },
  });
  trace.usage = outcome.usage;
  if (outcome.errorCode) {
    // The status line said 200, but the answer is not whole: the audit records an error.
    trace.errorCode = outcome.errorCode;
    trace.errorClass = outcome.errorCode === OVERSIZED ? 'oversized_event' : 'upstream';
  }
  // Broken after the first byte: no retry is possible; the key's health still hears of it,
  // unless the router's own cap on an event's size cut the stream.
  const keyFault = outcome.error && outcome.errorCode !== OVERSIZED;
  if (keyFault && !relay.call.signal.aborted) answer.reportBroken(outcome.cause);
}

const OVERSIZED: StreamErrorCode = 'upstream_event_too_large';

/**
 * A stream request the provider answered whole: the client, reading events, gets the chat
 * completion as the chunks streaming it would have sent (relayed like a stream, so usage is
 * metered and shown only if asked for), or an error event saying the answer was not streamed.
 */
async function relayUnstreamed(
  relay: ChatAnswerRelay,
  bytes: Buffer,
  stream: StreamKeepAlive,
): Promise<void> {
  const { requestId } = relay.trace;
  const ending = relay.answer.prepared?.streamEnding;
  const events = unstreamedAnswerEvents(parsed(bytes), relay.caller, { requestId, ending });
  if (events.converted) {
    await relayStream(relay, Readable.from([Buffer.from(events.text)]), stream);

    return;
  }
  relay.trace.errorCode = 'upstream_not_streamed';
  relay.trace.errorClass = 'upstream';
  relay.reply.raw.end(events.text);
}

function parsed(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** A non-stream answer to a stream whose status line is already out: one data event. */
function endCommitted(
  relay: ChatAnswerRelay,
  keepAlive: StreamKeepAlive,
  ok: boolean,
  bytes: Buffer,
): void {
  const text = ok
    ? bytes.toString('utf8')
    : relayedErrorBody(relay.caller, {
        status: clientStatus(relay.answer.response.statusCode),
        bytes,
        ...scrubbedAs(relay),
      });
  let body: object;
  try {
    body = JSON.parse(text) as object;
  } catch {
    relay.reply.raw.end(`data: ${text.replace(/\r?\n/g, ' ')}\n\n`);

    return;
  }
  relay.reply.raw.end(committedData(keepAlive, relay.caller, body, !ok));
}

/** The request id and scrubber an error of this answer is relayed with. */
function scrubbedAs(relay: ChatAnswerRelay): {
  requestId: string;
  scrub: SecretScrubber;
} {
  return { requestId: relay.trace.requestId, scrub: relay.answer.scrub };
}

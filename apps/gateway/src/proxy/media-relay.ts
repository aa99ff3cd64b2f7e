import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';

import type { FastifyReply } from 'fastify';

import { RequestTrace } from '../audit/request-trace';
import { readAnswerUsage } from '../audit/usage-details';
import { CallDeadline } from './call-deadline';
import { responseHeaders } from './response-headers';
import { clientStatus, collect } from './translated-relay';
import { UpstreamAnswer } from './upstream-attempts';
import { relayedErrorBody } from './upstream-error-body';

/** A provider's answer to an image or audio call, and where it goes. */
export interface MediaAnswerRelay {
  answer: UpstreamAnswer;
  upstreamModel: string;
  reply: FastifyReply;
  trace: RequestTrace;
  call: CallDeadline;
}

/**
 * Relays the answer of an image or audio call as the provider sent it. A JSON answer is read
 * whole (for its usage) and sent on; any other (speech audio, an event stream of partial
 * images) is streamed to the client chunk by chunk as it arrives, never held. An error is
 * scrubbed and carries the request id.
 */
export async function relayMediaAnswer(relay: MediaAnswerRelay): Promise<void> {
  const { answer, reply, trace } = relay;
  const { response } = answer;
  const headers = responseHeaders(
    { ...answer, requestId: trace.requestId, upstreamModel: relay.upstreamModel },
    response.headers,
    answer.scrub,
  );
  trace.status = response.statusCode;
  trace.providerType = answer.key.providerType;
  const contentType = String(response.headers['content-type'] ?? 'application/octet-stream');
  // Watched for silence, and without the key it was sent (a provider may echo it, in a 200
  // answer as in an error): see ProviderBody.
  const chunks = response.body;
  const ok = response.statusCode >= 200 && response.statusCode < 300;
  if (!ok) {
    trace.errorCode = `upstream_${response.statusCode}`;
    const bytes = await collect(chunks);
    trace.markFirstByte();
    const status = clientStatus(response.statusCode);
    const { requestId } = trace;
    await reply
      .code(status)
      .headers(headers)
      .type('application/json')
      .send(relayedErrorBody('openai', { status, bytes, requestId, scrub: answer.scrub }));

    return;
  }
  if (contentType.includes('application/json')) {
    const bytes = await collect(chunks);
    trace.markFirstByte();
    trace.usage = readAnswerUsage(bytes);
    await reply.code(response.statusCode).headers(headers).type(contentType).send(bytes);

    return;
  }
  reply.hijack();
  reply.raw.writeHead(response.statusCode, { ...headers, 'content-type': contentType });
  try {
    await pipeline(Readable.from(marked(chunks, trace)), reply.raw);
  } catch (error) {
    if (relay.call.clientGone) throw error;
    // Bytes are out and audio has no error event: the cut connection tells the client.
    trace.errorCode = 'upstream_stream_error';
    answer.reportBroken(error);
  }
}

async function* marked(chunks: AsyncIterable<Buffer>, trace: RequestTrace): AsyncIterable<Buffer> {
  for await (const chunk of chunks) {
    trace.markFirstByte();
    yield chunk;
  }
}

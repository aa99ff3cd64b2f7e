import type { ServerResponse } from 'node:http';

import { MockExchange } from './mock-exchange';

/** One SSE event: only data (OpenAI, Gemini), or a named event (Anthropic). */
export type SsePayload = string | { event: string; data: string };

/** What to send, before timing and failures are applied. */
export type MockAnswer =
  | { kind: 'json'; status: number; body: unknown }
  | { kind: 'text'; status: number; body: string }
  /** An event stream; Gemini ends its lines in CRLF, the others in LF. */
  | { kind: 'sse'; payloads: SsePayload[]; lineEnd?: '\n' | '\r\n' }
  /** Bytes sent chunk by chunk (speech audio), paced and cut like a stream's events. */
  | { kind: 'binary'; status: number; contentType: string; chunks: Buffer[] };

/** How to send it: waits, extra headers and an optional deliberate failure. */
export interface AnswerPlan {
  delayMs: number;
  chunkDelayMs: number;
  headers: Record<string, string>;
  failAfterChunks?: number;
  failMode: 'reset' | 'error-event' | 'close';
  /** The event that ends a stream in `error-event` mode, in the dialect's error shape. */
  streamError: StreamError;
}

/** An error event, or one built from the number of events sent before it (its sequence). */
export type StreamError = SsePayload | ((eventsSent: number) => SsePayload);

const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
};

/** Sends `answer` the way `plan` says, unless the client leaves first. */
export async function sendAnswer(
  exchange: MockExchange,
  answer: MockAnswer,
  plan: AnswerPlan,
): Promise<void> {
  if (!(await exchange.pause(plan.delayMs))) {
    exchange.takeOver();

    return;
  }
  if (answer.kind === 'sse') {
    const lineEnd = answer.lineEnd ?? '\n';
    const frames = answer.payloads.map((payload) => sseFrame(payload, lineEnd));
    await streamAnswer(exchange, { status: 200, headers: SSE_HEADERS, frames }, plan, lineEnd);

    return;
  }
  if (answer.kind === 'binary') {
    const head = { status: answer.status, headers: { 'content-type': answer.contentType } };
    await streamAnswer(exchange, { ...head, frames: answer.chunks }, plan);

    return;
  }
  if (plan.failAfterChunks !== undefined) {
    exchange.cut();

    return;
  }
  exchange.record.status = answer.status;
  const reply = exchange.fastifyReply
    .code(answer.status)
    .headers({ 'x-request-id': exchange.record.id, ...plan.headers });
  if (answer.kind === 'text' && !reply.hasHeader('content-type')) reply.type('text/plain');
  await reply.send(answer.body);
}

/** What goes out chunk by chunk: the status line, headers, and the frames in order. */
interface StreamedAnswer {
  status: number;
  headers: Record<string, string>;
  frames: ReadonlyArray<string | Buffer>;
}

async function streamAnswer(
  exchange: MockExchange,
  answer: StreamedAnswer,
  plan: AnswerPlan,
  lineEnd?: string,
): Promise<void> {
  const { frames } = answer;
  const response = exchange.takeOver();
  exchange.record.status = answer.status;
  response.writeHead(answer.status, {
    ...answer.headers,
    'x-request-id': exchange.record.id,
    ...plan.headers,
  });
  const paced = plan.chunkDelayMs > 0;
  // Unpaced chunks go out in one write (end() uncorks); a planned cut needs each one flushed.
  if (!paced && plan.failAfterChunks === undefined) response.cork();
  for (let index = 0; index < frames.length; index++) {
    if (index === plan.failAfterChunks) {
      failStream(exchange, plan, index, lineEnd);

      return;
    }
    if (paced && index > 0 && !(await exchange.pause(plan.chunkDelayMs))) return;
    // Before a planned cut, let the chunks reach the socket: destroying it drops unsent data.
    if (index + 1 === plan.failAfterChunks) await writeFlushed(response, frames[index]);
    else response.write(frames[index]);
  }
  response.end();
}

function writeFlushed(response: ServerResponse, frame: string | Buffer): Promise<void> {
  return new Promise((resolve) => response.write(frame, () => resolve()));
}

/** Cuts a stream as planned; a byte stream has no error event, so it is always reset. */
function failStream(
  exchange: MockExchange,
  plan: AnswerPlan,
  eventsSent: number,
  lineEnd?: string,
): void {
  if (plan.failMode === 'reset' || lineEnd === undefined) {
    exchange.cut();

    return;
  }
  if (plan.failMode === 'close') {
    exchange.takeOver().end();

    return;
  }
  const error = plan.streamError;
  exchange
    .takeOver()
    .end(sseFrame(typeof error === 'function' ? error(eventsSent) : error, lineEnd));
}

/** One event as it goes on the wire: an optional `event:` line, the data, a blank line. */
export function sseFrame(payload: SsePayload, lineEnd = '\n'): string {
  if (typeof payload === 'string') return `data: ${payload}${lineEnd}${lineEnd}`;

  return `event: ${payload.event}${lineEnd}data: ${payload.data}${lineEnd}${lineEnd}`;
}

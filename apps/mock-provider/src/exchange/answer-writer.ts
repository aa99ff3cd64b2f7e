import type { ServerResponse } from 'node:http';

import { openAiError } from '../openai/openai-error';
import { MockExchange } from './mock-exchange';

/** What to send, before timing and failures are applied. */
export type MockAnswer =
  | { kind: 'json'; status: number; body: unknown }
  | { kind: 'text'; status: number; body: string }
  | { kind: 'sse'; payloads: string[] };

/** How to send it: waits, extra headers and an optional deliberate failure. */
export interface AnswerPlan {
  delayMs: number;
  chunkDelayMs: number;
  headers: Record<string, string>;
  failAfterChunks?: number;
  failMode: 'reset' | 'error-event';
}

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
    await streamAnswer(exchange, answer.payloads, plan);

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

async function streamAnswer(
  exchange: MockExchange,
  payloads: string[],
  plan: AnswerPlan,
): Promise<void> {
  const response = exchange.takeOver();
  exchange.record.status = 200;
  response.writeHead(200, { ...SSE_HEADERS, 'x-request-id': exchange.record.id, ...plan.headers });
  const paced = plan.chunkDelayMs > 0;
  // Unpaced chunks go out in one write (end() uncorks); a planned cut needs each one flushed.
  if (!paced && plan.failAfterChunks === undefined) response.cork();
  for (let index = 0; index < payloads.length; index++) {
    if (index === plan.failAfterChunks) {
      failStream(exchange, plan.failMode);

      return;
    }
    if (paced && index > 0 && !(await exchange.pause(plan.chunkDelayMs))) return;
    const frame = `data: ${payloads[index]}\n\n`;
    // Before a planned cut, let the chunks reach the socket: destroying it drops unsent data.
    if (index + 1 === plan.failAfterChunks) await writeFlushed(response, frame);
    else response.write(frame);
  }
  response.end();
}

function writeFlushed(response: ServerResponse, frame: string): Promise<void> {
  return new Promise((resolve) => response.write(frame, () => resolve()));
}

function failStream(exchange: MockExchange, mode: AnswerPlan['failMode']): void {
  if (mode === 'reset') {
    exchange.cut();

    return;
  }
  const error = openAiError('The stream failed midway (mock).', 'server_error');
  exchange.takeOver().end(`data: ${JSON.stringify(error)}\n\n`);
}

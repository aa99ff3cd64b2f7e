import type { FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';

import { Behaviour } from '../behaviours/behaviour';
import { BehaviourRegistry } from '../behaviours/behaviour-registry';
import { RequestRecorder } from '../recording/request-recorder';
import { AnswerPlan, MockAnswer, sendAnswer } from './answer-writer';
import { MockDialect } from './mock-dialect';
import { MockExchange } from './mock-exchange';

/** What every dialect's routes share. */
export interface ServeDeps {
  recorder: RequestRecorder;
  behaviours: BehaviourRegistry;
  /** Waits applied when no behaviour sets its own. */
  defaults: { delayMs: number; chunkDelayMs: number };
}

/** Computes the mock's own answer to a request. */
export type Answerer = (request: FastifyRequest) => MockAnswer;

/**
 * A route handler that records the request (with the credential as the dialect reads it),
 * refuses it without a credential, applies the first matching behaviour, and otherwise sends
 * the dialect's own answer.
 */
export function serveWith(
  deps: ServeDeps,
  dialect: MockDialect,
  answer: Answerer,
): RouteHandlerMethod {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    await serveRequest(deps, dialect, request, reply, answer);

    return reply;
  };
}

async function serveRequest(
  deps: ServeDeps,
  dialect: MockDialect,
  request: FastifyRequest,
  reply: FastifyReply,
  answer: Answerer,
): Promise<void> {
  const apiKey = dialect.credential(request);
  const path = request.url.split('?', 1)[0];
  const model = dialect.model(request);
  const record = deps.recorder.record({
    method: request.method,
    path,
    apiKey,
    model,
    body: request.body ?? null,
    headers: request.headers,
  });
  const exchange = new MockExchange(reply, record, deps.recorder);
  if (apiKey === null) {
    await sendAnswer(exchange, dialect.missingCredential, plan(deps, dialect, null, record.id));

    return;
  }
  const refusal = dialect.precheck?.(request) ?? null;
  const behaviour = refusal ? null : deps.behaviours.take({ apiKey, model, path });
  const chosen = refusal ?? behaviourAnswer(dialect, behaviour) ?? answer(request);
  await sendAnswer(exchange, chosen, plan(deps, dialect, behaviour, record.id));
}

/** The answer a behaviour imposes, if it imposes one (an error status or a body). */
function behaviourAnswer(dialect: MockDialect, behaviour: Behaviour | null): MockAnswer | null {
  if (!behaviour) return null;
  const status = behaviour.status ?? 200;
  if (behaviour.body === undefined && status < 400) return null;
  const body = behaviour.body ?? dialect.errorBodyForStatus(status);

  return typeof body === 'string' ? { kind: 'text', status, body } : { kind: 'json', status, body };
}

function plan(
  deps: ServeDeps,
  dialect: MockDialect,
  behaviour: Behaviour | null,
  recordId: string,
): AnswerPlan {
  return {
    delayMs: behaviour?.delayMs ?? deps.defaults.delayMs,
    chunkDelayMs: behaviour?.chunkDelayMs ?? deps.defaults.chunkDelayMs,
    headers: { ...(dialect.answerHeaders?.(recordId) ?? {}), ...(behaviour?.headers ?? {}) },
    failAfterChunks: behaviour?.failAfterChunks,
    failMode: behaviour?.failMode ?? 'reset',
    streamError: dialect.streamError,
  };
}

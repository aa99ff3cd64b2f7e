import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { Behaviour } from '../behaviours/behaviour';
import { BehaviourRegistry } from '../behaviours/behaviour-registry';
import { AnswerPlan, MockAnswer, sendAnswer } from '../exchange/answer-writer';
import { MockExchange } from '../exchange/mock-exchange';
import { RequestRecorder } from '../recording/request-recorder';
import {
  answerChatCompletion,
  answerEmbeddings,
  answerModel,
  answerModelList,
} from './openai-answers';
import { openAiError, openAiErrorForStatus } from './openai-error';

/** What the OpenAI dialect needs from the app. */
export interface OpenAiRouteDeps {
  recorder: RequestRecorder;
  behaviours: BehaviourRegistry;
  /** Waits applied when no behaviour sets its own. */
  defaults: { delayMs: number; chunkDelayMs: number };
  models: readonly string[];
}

type Answerer = (request: FastifyRequest) => MockAnswer;

const MISSING_KEY = openAiError(
  "No API key was sent. Send it as 'Authorization: Bearer <key>'.",
  'invalid_request_error',
);

/** Serves OpenAI's chat completions, embeddings and models endpoints under `/v1`. */
export function registerOpenAiRoutes(app: FastifyInstance, deps: OpenAiRouteDeps): void {
  const serve = (answer: Answerer) => async (request: FastifyRequest, reply: FastifyReply) => {
    await serveRequest(deps, request, reply, answer);

    return reply;
  };
  app.post(
    '/v1/chat/completions',
    serve((request) => answerChatCompletion(request.body)),
  );
  app.post(
    '/v1/embeddings',
    serve((request) => answerEmbeddings(request.body)),
  );
  app.get(
    '/v1/models',
    serve(() => answerModelList(deps.models)),
  );
  // A wildcard, because model ids may contain slashes (`org/model`).
  app.get(
    '/v1/models/*',
    serve((request) => answerModel(deps.models, modelIdParam(request) ?? '')),
  );
}

async function serveRequest(
  deps: OpenAiRouteDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  answer: Answerer,
): Promise<void> {
  const apiKey = bearerKey(request.headers.authorization);
  const path = request.url.split('?', 1)[0];
  const model = requestedModel(request);
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
    await sendAnswer(exchange, { kind: 'json', status: 401, body: MISSING_KEY }, plan(deps, null));

    return;
  }
  const behaviour = deps.behaviours.take({ apiKey, model, path });
  await sendAnswer(exchange, behaviourAnswer(behaviour) ?? answer(request), plan(deps, behaviour));
}

/** The answer a behaviour imposes, if it imposes one (an error status or a body). */
function behaviourAnswer(behaviour: Behaviour | null): MockAnswer | null {
  if (!behaviour) return null;
  const status = behaviour.status ?? 200;
  if (behaviour.body === undefined && status < 400) return null;
  const body = behaviour.body ?? openAiErrorForStatus(status);

  return typeof body === 'string' ? { kind: 'text', status, body } : { kind: 'json', status, body };
}

function plan(deps: OpenAiRouteDeps, behaviour: Behaviour | null): AnswerPlan {
  return {
    delayMs: behaviour?.delayMs ?? deps.defaults.delayMs,
    chunkDelayMs: behaviour?.chunkDelayMs ?? deps.defaults.chunkDelayMs,
    headers: behaviour?.headers ?? {},
    failAfterChunks: behaviour?.failAfterChunks,
    failMode: behaviour?.failMode ?? 'reset',
  };
}

function bearerKey(authorization: string | undefined): string | null {
  const match = authorization ? /^Bearer\s+(\S.*)$/i.exec(authorization) : null;

  return match ? match[1].trim() : null;
}

function requestedModel(request: FastifyRequest): string | null {
  const body: unknown = request.body;
  if (typeof body === 'object' && body !== null && 'model' in body) {
    return typeof body.model === 'string' ? body.model : null;
  }

  return modelIdParam(request);
}

function modelIdParam(request: FastifyRequest): string | null {
  const params = request.params as Record<string, string | undefined>;

  return params['*'] || null;
}

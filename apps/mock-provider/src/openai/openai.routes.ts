import type { FastifyInstance, FastifyRequest } from 'fastify';

import { MockAnswer } from '../exchange/answer-writer';
import { MockDialect, bearerKey, bodyModel } from '../exchange/mock-dialect';
import { ServeDeps, serveWith } from '../exchange/serve-request';
import { answerChatCompletion, answerEmbeddings, answerModel } from './openai-answers';
import { openAiError, openAiErrorForStatus } from './openai-error';
import { answerResponse } from './responses-answers';

/** What the OpenAI dialect needs from the app. */
export interface OpenAiRouteDeps extends ServeDeps {
  models: readonly string[];
}

const MISSING_KEY: MockAnswer = {
  kind: 'json',
  status: 401,
  body: openAiError(
    "No API key was sent. Send it as 'Authorization: Bearer <key>'.",
    'invalid_request_error',
  ),
};

/** OpenAI's ways: a Bearer key, OpenAI-shaped errors, data-only stream events. */
export const OPENAI_DIALECT: MockDialect = {
  credential: (request) => bearerKey(request.headers.authorization),
  model: (request) => bodyModel(request) ?? modelIdParam(request),
  missingCredential: MISSING_KEY,
  errorBodyForStatus: openAiErrorForStatus,
  streamError: JSON.stringify(openAiError('The stream failed midway (mock).', 'server_error')),
};

/** Serves OpenAI's chat completions, embeddings and model endpoints under `/v1` (the list: see model-list.routes.ts). */
export function registerOpenAiRoutes(app: FastifyInstance, deps: OpenAiRouteDeps): void {
  const serve = (answer: (request: FastifyRequest) => MockAnswer) =>
    serveWith(deps, OPENAI_DIALECT, answer);
  app.post(
    '/v1/chat/completions',
    serve((request) => answerChatCompletion(request.body)),
  );
  app.post(
    '/v1/responses',
    serve((request) => answerResponse(request.body)),
  );
  app.post(
    '/v1/embeddings',
    serve((request) => answerEmbeddings(request.body)),
  );
  // A wildcard, because model ids may contain slashes (`org/model`).
  app.get(
    '/v1/models/*',
    serve((request) => answerModel(deps.models, modelIdParam(request) ?? '')),
  );
}

function modelIdParam(request: FastifyRequest): string | null {
  const params = request.params as Record<string, string | undefined>;

  return params['*'] || null;
}

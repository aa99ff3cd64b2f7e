import type { FastifyInstance, FastifyRequest } from 'fastify';

import { MockAnswer } from '../exchange/answer-writer';
import { MockDialect, bearerKey, bodyModel } from '../exchange/mock-dialect';
import { ServeDeps, serveWith } from '../exchange/serve-request';
import { answerChatCompletion, answerEmbeddings, answerModel } from './openai-answers';
import { openAiError, openAiErrorForStatus } from './openai-error';
import { MockResponseStore } from './response-store';
import { ResponseMemory, answerResponse } from './responses-answers';
import { answerTextCompletion } from './text-completion';

/** What the OpenAI dialect needs from the app. */
export interface OpenAiRouteDeps extends ServeDeps {
  models: readonly string[];
  /** The responses `POST /v1/responses` stores, by API key. */
  responses: MockResponseStore;
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
    serveWith(deps, RESPONSES_DIALECT, (request) =>
      answerResponse(
        request.body,
        responseMemory(deps.responses, OPENAI_DIALECT.credential(request)),
      ),
    ),
  );
  app.post(
    '/v1/completions',
    serve((request) => answerTextCompletion(request.body)),
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

/**
 * The Responses API's ways: OpenAI's, but a stream fails with a named `error` event carrying
 * its sequence number and the error object, as OpenAI sends it.
 */
export const RESPONSES_DIALECT: MockDialect = {
  ...OPENAI_DIALECT,
  streamError: (eventsSent) => ({
    event: 'error',
    data: JSON.stringify({
      type: 'error',
      sequence_number: eventsSent,
      error: openAiError('The stream failed midway (mock).', 'server_error', null, 'server_error')
        .error,
    }),
  }),
};

/** The stored responses of one API key. */
export function responseMemory(store: MockResponseStore, apiKey: string | null): ResponseMemory {
  // Requests without a key are refused before any answer is computed.
  const owner = apiKey ?? '';

  return {
    find: (id) => store.find(owner, id),
    keep: (stored) => store.keep(owner, stored),
  };
}

function modelIdParam(request: FastifyRequest): string | null {
  const params = request.params as Record<string, string | undefined>;

  return params['*'] || null;
}

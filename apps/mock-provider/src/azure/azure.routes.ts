import type { FastifyInstance, FastifyRequest } from 'fastify';

import { MockAnswer } from '../exchange/answer-writer';
import { MockDialect, bodyModel, headerValue } from '../exchange/mock-dialect';
import { serveWith } from '../exchange/serve-request';
import { answerChatCompletion, answerEmbeddings } from '../openai/openai-answers';
import { openAiError } from '../openai/openai-error';
import {
  OPENAI_DIALECT,
  OpenAiRouteDeps,
  RESPONSES_DIALECT,
  responseMemory,
} from '../openai/openai.routes';
import { answerResponse } from '../openai/responses-answers';
import { registerStoredResponseRoutes } from '../openai/stored-responses.routes';
import { answerTextCompletion } from '../openai/text-completion';

type Answerer = (body: unknown) => MockAnswer;

/** The operations served under a deployment (and, in the v1 API, under `/openai/v1`). */
const OPERATIONS: ReadonlyArray<[string, Answerer]> = [
  ['chat/completions', answerChatCompletion],
  ['embeddings', answerEmbeddings],
  ['completions', answerTextCompletion],
];

/**
 * Azure OpenAI's ways: the key in `api-key` (a Bearer token is not a key), OpenAI's bodies and
 * errors, and an `api-version` query parameter every data-plane call needs, except the v1 API
 * (`/openai/v1/…`). The model is the deployment's when the body names none.
 */
export const AZURE_DIALECT: MockDialect = {
  ...OPENAI_DIALECT,
  credential: (request) => headerValue(request, 'api-key'),
  model: (request) => bodyModel(request) ?? deploymentOf(request),
  missingCredential: {
    kind: 'json',
    status: 401,
    body: {
      error: {
        code: '401',
        message:
          'Access denied due to invalid subscription key or wrong API endpoint. Make sure to ' +
          'provide a valid key for an active subscription and use a correct regional API ' +
          'endpoint for your resource (mock).',
      },
    },
  },
  precheck: (request) => (needsVersion(request) && !apiVersionOf(request) ? noVersion() : null),
};

/**
 * Serves Azure OpenAI under `/openai`: `deployments/{deployment}/chat/completions`,
 * `…/embeddings` and `…/completions` with `api-version`; the Responses API at
 * `/openai/responses` (with `api-version`) and the v1 API at `/openai/v1/…` (model in the
 * body), stored responses included.
 */
export function registerAzureRoutes(app: FastifyInstance, deps: OpenAiRouteDeps): void {
  for (const [operation, answer] of OPERATIONS) {
    const handler = serveWith(deps, AZURE_DIALECT, (request) =>
      answer(withModel(request.body, deploymentOf(request))),
    );
    app.post(`/openai/deployments/:deployment/${operation}`, handler);
    app.post(`/openai/v1/${operation}`, handler);
  }
  const dialect: MockDialect = { ...AZURE_DIALECT, streamError: RESPONSES_DIALECT.streamError };
  for (const prefix of ['/openai/responses', '/openai/v1/responses']) {
    app.post(
      prefix,
      serveWith(deps, dialect, (request) =>
        answerResponse(request.body, responseMemory(deps.responses, dialect.credential(request))),
      ),
    );
    registerStoredResponseRoutes(app, deps, dialect, prefix);
  }
}

function deploymentOf(request: FastifyRequest): string | null {
  return (request.params as { deployment?: string }).deployment ?? null;
}

/** A body without a model gets the deployment's (Azure needs none in the body). */
function withModel(body: unknown, deployment: string | null): unknown {
  if (deployment === null || typeof body !== 'object' || body === null) return body;

  return 'model' in body ? body : { ...body, model: deployment };
}

function needsVersion(request: FastifyRequest): boolean {
  return !request.url.startsWith('/openai/v1/');
}

function apiVersionOf(request: FastifyRequest): string | null {
  const version = (request.query as Record<string, unknown>)['api-version'];

  return typeof version === 'string' && version !== '' ? version : null;
}

function noVersion(): MockAnswer {
  const error = openAiError(
    'Missing required query parameter api-version (mock).',
    'invalid_request_error',
    'api-version',
    'MissingApiVersion',
  );

  return { kind: 'json', status: 404, body: error };
}

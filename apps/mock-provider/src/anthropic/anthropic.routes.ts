import type { FastifyInstance } from 'fastify';

import { MockDialect, bearerKey, bodyModel, headerValue } from '../exchange/mock-dialect';
import { ServeDeps, serveWith } from '../exchange/serve-request';
import { answerCountTokens, answerMessages } from './anthropic-answers';
import { anthropicError, anthropicErrorForStatus } from './anthropic-error';

/**
 * Anthropic's ways: the key in `x-api-key` (or a Bearer token), a required
 * `anthropic-version` header, Anthropic-shaped errors, named stream events, and a
 * `request-id` header on every answer.
 */
export const ANTHROPIC_DIALECT: MockDialect = {
  credential: (request) =>
    headerValue(request, 'x-api-key') ?? bearerKey(request.headers.authorization),
  model: bodyModel,
  missingCredential: {
    kind: 'json',
    status: 401,
    body: anthropicError('authentication_error', 'x-api-key header is required'),
  },
  precheck: (request) =>
    headerValue(request, 'anthropic-version')
      ? null
      : {
          kind: 'json',
          status: 400,
          body: anthropicError('invalid_request_error', 'anthropic-version: header is required'),
        },
  errorBodyForStatus: anthropicErrorForStatus,
  streamError: {
    event: 'error',
    data: JSON.stringify(anthropicError('overloaded_error', 'Overloaded (mock).')),
  },
  answerHeaders: (recordId) => ({ 'request-id': recordId }),
};

/** Serves Anthropic's Messages API: `/v1/messages` and `/v1/messages/count_tokens`. */
export function registerAnthropicRoutes(app: FastifyInstance, deps: ServeDeps): void {
  app.post(
    '/v1/messages',
    serveWith(deps, ANTHROPIC_DIALECT, (request) => answerMessages(request.body)),
  );
  app.post(
    '/v1/messages/count_tokens',
    serveWith(deps, ANTHROPIC_DIALECT, (request) => answerCountTokens(request.body)),
  );
}

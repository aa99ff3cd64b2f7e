import type { FastifyInstance, FastifyRequest } from 'fastify';

import { MockDialect, headerValue } from '../exchange/mock-dialect';
import { ServeDeps, serveWith } from '../exchange/serve-request';
import { GeminiMethod, answerGemini, unknownMethod } from './gemini-answers';
import { answerBatchEmbedContents } from './gemini-embeddings';
import { geminiError, geminiErrorForStatus } from './gemini-error';

const METHODS: readonly string[] = ['generateContent', 'streamGenerateContent', 'countTokens'];
const EMBEDDINGS = 'batchEmbedContents';

/**
 * Gemini's ways: the key in `x-goog-api-key` or the `key` query parameter, the model in the
 * URL (`models/{model}:{method}`), Google-shaped errors, data-only stream events.
 */
export const GEMINI_DIALECT: MockDialect = {
  credential: (request) => headerValue(request, 'x-goog-api-key') ?? queryValue(request, 'key'),
  model: (request) => modelAndMethod(request)?.model ?? null,
  missingCredential: {
    kind: 'json',
    status: 403,
    body: geminiError(
      403,
      'PERMISSION_DENIED',
      'The request has no API key; send x-goog-api-key or ?key= (mock).',
    ),
  },
  errorBodyForStatus: geminiErrorForStatus,
  streamError: JSON.stringify(geminiError(503, 'UNAVAILABLE', 'The model is overloaded (mock).')),
};

/**
 * Serves Gemini's `generateContent`, `streamGenerateContent`, `countTokens` and
 * `batchEmbedContents` (v1beta and v1).
 */
export function registerGeminiRoutes(app: FastifyInstance, deps: ServeDeps): void {
  const handler = serveWith(deps, GEMINI_DIALECT, (request) => {
    const target = modelAndMethod(request);
    if (target?.method === EMBEDDINGS) return answerBatchEmbedContents(target.model, request.body);
    if (!target || !METHODS.includes(target.method)) {
      return unknownMethod(request.url.split('?', 1)[0]);
    }

    return answerGemini(
      target.model,
      target.method as GeminiMethod,
      request.body,
      queryValue(request, 'alt'),
    );
  });
  app.post('/v1beta/models/*', handler);
  app.post('/v1/models/*', handler);
}

/** `gemini-2.5-flash:generateContent` → the model and the method. */
function modelAndMethod(request: FastifyRequest): { model: string; method: string } | null {
  const params = request.params as Record<string, string | undefined>;
  const match = /^(.+):([A-Za-z]+)$/.exec(params['*'] ?? '');

  return match ? { model: match[1], method: match[2] } : null;
}

function queryValue(request: FastifyRequest, name: string): string | null {
  const query = request.query as Record<string, unknown>;
  const value = query[name];

  return typeof value === 'string' && value !== '' ? value : null;
}

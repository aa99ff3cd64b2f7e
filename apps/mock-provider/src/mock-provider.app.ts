import Fastify, { FastifyError, FastifyInstance } from 'fastify';

import { anthropicError } from './anthropic/anthropic-error';
import { registerAzureRoutes } from './azure/azure.routes';
import { registerAnthropicRoutes } from './anthropic/anthropic.routes';
import { BehaviourRegistry } from './behaviours/behaviour-registry';
import { registerControlRoutes } from './control/control.routes';
import { geminiError } from './gemini/gemini-error';
import { registerGeminiRoutes } from './gemini/gemini.routes';
import { registerMediaRoutes } from './media/media.routes';
import { MockProviderConfig } from './mock-provider.config';
import { registerModelListRoutes } from './models/model-list.routes';
import { openAiError } from './openai/openai-error';
import { OPENAI_DIALECT, registerOpenAiRoutes } from './openai/openai.routes';
import { MockResponseStore } from './openai/response-store';
import { registerStoredResponseRoutes } from './openai/stored-responses.routes';
import { RequestRecorder } from './recording/request-recorder';

/** Large enough for base64 images and big embedding batches sent through the router. */
const BODY_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * Builds the mock provider: OpenAI's API under `/v1` (stored responses included), Azure
 * OpenAI's under `/openai`, Anthropic's Messages API (`/v1/messages`), Gemini's
 * `generateContent` and `batchEmbedContents` (`/v1beta/models/…`), the control API under
 * `/_mock` and `/healthz`. Fastify's own request logging stays off so the no-delay path is lean enough to
 * sit behind the router in benchmarks.
 */
export function buildMockProviderApp(config: MockProviderConfig): FastifyInstance {
  const app = Fastify({
    logger: false,
    bodyLimit: BODY_LIMIT_BYTES,
    // Streams held open by long delays must not keep a shutdown waiting.
    forceCloseConnections: true,
  });
  const recorder = new RequestRecorder(config.MOCK_MAX_RECORDS);
  const behaviours = new BehaviourRegistry();

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500;

    // Fastify's own codes (FST_ERR_…) mean nothing to an API client, so they stay out.
    return reply.code(status).send(errorInDialect(request.url, status, error.message));
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send(
        openAiError(
          `Unknown request URL: ${request.method} ${request.url}`,
          undefined,
          null,
          'unknown_url',
        ),
      ),
  );
  app.get('/healthz', async () => ({ status: 'ok' }));
  registerControlRoutes(app, { recorder, behaviours });
  const shared = {
    recorder,
    behaviours,
    defaults: { delayMs: config.MOCK_DEFAULT_DELAY_MS, chunkDelayMs: config.MOCK_CHUNK_DELAY_MS },
  };
  const openAi = { ...shared, models: config.MOCK_MODELS, responses: new MockResponseStore() };
  registerOpenAiRoutes(app, openAi);
  registerStoredResponseRoutes(app, openAi, OPENAI_DIALECT, '/v1/responses');
  registerAzureRoutes(app, openAi);
  registerModelListRoutes(app, { ...shared, models: config.MOCK_MODELS });
  registerMediaRoutes(app, shared);
  registerAnthropicRoutes(app, shared);
  registerGeminiRoutes(app, shared);

  return app;
}

/** An error body in the shape of the API the failed request was meant for. */
function errorInDialect(url: string, status: number, message: string): unknown {
  if (url.startsWith('/v1/messages')) {
    return anthropicError(status >= 500 ? 'api_error' : 'invalid_request_error', message);
  }
  if (url.startsWith('/v1beta/') || /^\/v1\/models\/[^?]*:/.test(url)) {
    return geminiError(status, status >= 500 ? 'INTERNAL' : 'INVALID_ARGUMENT', message);
  }

  return openAiError(message, status >= 500 ? 'server_error' : 'invalid_request_error');
}

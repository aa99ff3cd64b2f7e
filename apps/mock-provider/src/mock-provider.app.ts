import Fastify, { FastifyError, FastifyInstance } from 'fastify';

import { BehaviourRegistry } from './behaviours/behaviour-registry';
import { registerControlRoutes } from './control/control.routes';
import { MockProviderConfig } from './mock-provider.config';
import { openAiError } from './openai/openai-error';
import { registerOpenAiRoutes } from './openai/openai.routes';
import { RequestRecorder } from './recording/request-recorder';

/** Large enough for base64 images and big embedding batches sent through the router. */
const BODY_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * Builds the mock provider: OpenAI's API under `/v1`, the control API under `/_mock` and
 * `/healthz`. Fastify's own request logging stays off so the no-delay path is lean enough to
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

  app.setErrorHandler((error: FastifyError, _request, reply) => {
    const status = error.statusCode ?? 500;
    const type = status >= 500 ? 'server_error' : 'invalid_request_error';

    // Fastify's own codes (FST_ERR_…) mean nothing to an OpenAI client, so they stay out.
    return reply.code(status).send(openAiError(error.message, type));
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
  registerOpenAiRoutes(app, {
    recorder,
    behaviours,
    defaults: { delayMs: config.MOCK_DEFAULT_DELAY_MS, chunkDelayMs: config.MOCK_CHUNK_DELAY_MS },
    models: config.MOCK_MODELS,
  });
  // TODO(#5): register the Anthropic (`/v1/messages`) and Gemini (`generateContent`) dialects
  // from their own folders beside `openai/`, sharing the recorder, behaviours and exchange.

  return app;
}

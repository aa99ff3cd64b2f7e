import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { VirtualKeyAuthenticator } from '../auth/virtual-key.authenticator';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayException } from '../errors/gateway.exception';
import { toOpenAiError } from '../errors/openai-error';
import { TenantRoutingCache } from '../routing/tenant-routing.cache';
import { registerAnthropicRoutes } from './anthropic.routes';
import { MediaProxyService } from './media-proxy.service';
import { UploadSettings, registerMediaRoutes } from './media.routes';
import { registerModelRoutes } from './models.routes';
import { ModelsService } from './models.service';
import { OpenAiEndpoint, OpenAiProxyService } from './openai-proxy.service';
import { useRawBodies } from './raw-body';
import { registerStoredResponseRoutes } from './stored-responses.routes';
import { StoredResponsesService } from './stored-responses.service';

/** What the `/v1` routes need from the Nest container. */
export interface OpenAiRoutesDeps {
  proxy: OpenAiProxyService;
  storedResponses: StoredResponsesService;
  media: MediaProxyService;
  models: ModelsService;
  authenticator: VirtualKeyAuthenticator;
  routing: TenantRoutingCache;
  bodyLimit: number;
  /** Deepest JSON nesting accepted. */
  jsonMaxDepth: number;
  /** Where image and audio uploads are kept until their call ends. */
  uploads: UploadSettings;
}

const PROXIED: OpenAiEndpoint[] = [
  '/chat/completions',
  '/embeddings',
  '/completions',
  '/responses',
];

/**
 * Registers the OpenAI-compatible `/v1` routes straight on Fastify, outside NestJS's pipeline
 * (the hot path pays for no guards, pipes or interceptors). Bodies are kept as raw bytes, so
 * they reach the provider untouched apart from the model name.
 */
export async function registerOpenAiRoutes(
  fastify: FastifyInstance,
  deps: OpenAiRoutesDeps,
): Promise<void> {
  await fastify.register(async (scope) => {
    useRawBodies(scope, deps);
    scope.setErrorHandler((error, request, reply) => sendError(error, request, reply));

    for (const endpoint of PROXIED) {
      scope.post(`/v1${endpoint}`, (request, reply) => deps.proxy.handle(request, reply, endpoint));
    }
    registerStoredResponseRoutes(scope, deps.storedResponses);
    registerModelRoutes(scope, { ...deps, fromFastifyError });
  });
  await registerAnthropicRoutes(fastify, { ...deps, fromFastifyError });
  await registerMediaRoutes(fastify, { ...deps, errorHandler: sendError });
}

function sendError(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const { status, body } = toOpenAiError(fromFastifyError(error), request.id);
  void reply.code(status).header('x-request-id', request.id).send(body);
}

/** Fastify's own errors (body too large, bad content) in the gateway's terms. */
export function fromFastifyError(error: unknown): unknown {
  if (error instanceof GatewayException) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new GatewayException(GatewayErrorCode.BodyTooLarge, 'The request body is too large.');
  }
  if (code === 'FST_ERR_CTP_INVALID_JSON_BODY' || code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
    return new GatewayException(
      GatewayErrorCode.InvalidJson,
      'The request body is not valid JSON.',
    );
  }
  const statusCode = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return new GatewayException(GatewayErrorCode.InvalidRequest, 'The request could not be read.', {
      status: statusCode,
    });
  }

  return error;
}

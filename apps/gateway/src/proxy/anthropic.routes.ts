import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { toCallerError } from '../errors/caller-error';
import { OpenAiEndpoint, OpenAiProxyService } from './openai-proxy.service';
import { useRawBodies } from './raw-body';

/** What the Anthropic routes need from the Nest container. */
export interface AnthropicRoutesDeps {
  proxy: OpenAiProxyService;
  bodyLimit: number;
  /** Deepest JSON nesting accepted. */
  jsonMaxDepth: number;
  /** Turns Fastify's own errors (body too large, say) into the gateway's. */
  fromFastifyError(error: unknown): unknown;
}

const PROXIED: OpenAiEndpoint[] = ['/messages', '/messages/count_tokens'];

/**
 * Registers Anthropic's Messages API (`/v1/messages`, `/v1/messages/count_tokens`) straight on
 * Fastify, in a scope of its own so that every error, Fastify's included, is in Anthropic's
 * shape. The credential is `x-api-key` or a Bearer virtual key; `anthropic-version` and
 * `anthropic-beta` reach Anthropic keys untouched.
 */
export async function registerAnthropicRoutes(
  fastify: FastifyInstance,
  deps: AnthropicRoutesDeps,
): Promise<void> {
  await fastify.register(async (scope) => {
    useRawBodies(scope, deps);
    scope.setErrorHandler((error, request, reply) => sendError(deps, error, request, reply));

    for (const endpoint of PROXIED) {
      scope.post(`/v1${endpoint}`, (request, reply) => deps.proxy.handle(request, reply, endpoint));
    }
  });
}

function sendError(
  deps: AnthropicRoutesDeps,
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const { status, body } = toCallerError('anthropic', deps.fromFastifyError(error), request.id);
  void reply.code(status).header('x-request-id', request.id).send(body);
}

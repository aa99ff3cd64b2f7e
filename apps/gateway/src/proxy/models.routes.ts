import { CallerProtocol } from '@xai/providers';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { VirtualKeyAuthenticator } from '../auth/virtual-key.authenticator';
import { toCallerError } from '../errors/caller-error';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayException } from '../errors/gateway.exception';
import { TenantRoutingCache } from '../routing/tenant-routing.cache';
import { AnthropicPageQuery, anthropicModel, anthropicModelPage } from './anthropic-model-page';
import { ModelEntry, ModelsService } from './models.service';

/** What the model routes need from the Nest container. */
export interface ModelRoutesDeps {
  models: ModelsService;
  authenticator: VirtualKeyAuthenticator;
  routing: TenantRoutingCache;
  /** Turns Fastify's own errors into the gateway's. */
  fromFastifyError(error: unknown): unknown;
}

/**
 * `GET /v1/models` and `GET /v1/models/{id}`: what this caller can reach, in OpenAI's shapes,
 * or in Anthropic's when the request carries `anthropic-version` (as Anthropic's SDK always
 * does). A model the caller cannot reach is a 404 in the same protocol.
 */
export function registerModelRoutes(scope: FastifyInstance, deps: ModelRoutesDeps): void {
  scope.get('/v1/models', (request, reply) =>
    answer(deps, request, reply, async (models) => {
      const data = await models();

      return protocolOf(request) === 'anthropic'
        ? anthropicModelPage(data, request.query as AnthropicPageQuery)
        : { object: 'list', data };
    }),
  );
  // A wildcard, because model ids may contain slashes (`org/model`). Fastify has decoded it
  // already: decoding again would misread a `%` in the id, or throw on it.
  scope.get('/v1/models/*', (request, reply) =>
    answer(deps, request, reply, async (models) => {
      const id = (request.params as { '*': string })['*'];
      const model = (await models()).find((entry) => entry.id === id);
      if (!model) {
        throw new GatewayException(
          GatewayErrorCode.NotFound,
          `No model named '${id}' can be reached with this key.`,
          { param: 'model' },
        );
      }

      return protocolOf(request) === 'anthropic' ? anthropicModel(model) : model;
    }),
  );
}

async function answer(
  deps: ModelRoutesDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  body: (models: () => Promise<ModelEntry[]>) => Promise<object>,
): Promise<void> {
  try {
    const caller = await deps.authenticator.authenticate(
      VirtualKeyAuthenticator.presentedKey(request.headers),
    );
    const models = async (): Promise<ModelEntry[]> =>
      deps.models.list(caller, await deps.routing.get(caller.tenantId), request.id);
    await reply.send(await body(models));
  } catch (error) {
    const failure = toCallerError(protocolOf(request), deps.fromFastifyError(error), request.id);
    await reply.code(failure.status).header('x-request-id', request.id).send(failure.body);
  }
}

/** Anthropic's SDK always sends `anthropic-version`; OpenAI's never does. */
function protocolOf(request: FastifyRequest): CallerProtocol {
  return request.headers['anthropic-version'] === undefined ? 'openai' : 'anthropic';
}

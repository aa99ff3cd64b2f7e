import 'reflect-metadata';

import { randomUUID } from 'node:crypto';

import { AppLogger, initLogging, startService } from '@xai/common';

import { VirtualKeyAuthenticator } from './auth/virtual-key.authenticator';
import { loadGatewayConfig } from './gateway.config';
import { GatewayModule } from './gateway.module';
import { ModelsService } from './proxy/models.service';
import { OpenAiProxyService } from './proxy/openai-proxy.service';
import { registerOpenAiRoutes } from './proxy/openai.routes';
import { TenantRoutingCache } from './routing/tenant-routing.cache';

async function main(): Promise<void> {
  const config = loadGatewayConfig();
  initLogging('gateway', config.LOG_LEVEL);

  await startService({
    name: 'gateway',
    module: GatewayModule.forConfig(config),
    host: config.HOST,
    httpPort: config.HTTP_PORT,
    bodyLimit: config.XAI_BODY_LIMIT_BYTES,
    fastify: {
      genReqId: () => `req_${randomUUID().replace(/-/g, '')}`,
      requestIdHeader: false,
    },
    configure: async (app) => {
      const fastify = app.getHttpAdapter().getInstance();
      fastify.addHook('onRequest', async (request, reply) => {
        reply.header('x-request-id', request.id);
      });
      await registerOpenAiRoutes(fastify, {
        proxy: app.get(OpenAiProxyService),
        models: app.get(ModelsService),
        authenticator: app.get(VirtualKeyAuthenticator),
        routing: app.get(TenantRoutingCache),
        bodyLimit: config.XAI_BODY_LIMIT_BYTES,
      });
    },
  });
}

main().catch((error: unknown) => {
  new AppLogger('gateway').error('gateway failed to start', {
    error: error instanceof Error ? error.message : String(error),
  });
  process.exitCode = 1;
});

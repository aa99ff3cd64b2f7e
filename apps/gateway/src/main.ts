import './tracing';
import 'reflect-metadata';

import { AppLogger, exitAfterLogs, initLogging, startService } from '@xai/common';
import { startMetrics } from '@xai/telemetry';

import { VirtualKeyAuthenticator } from './auth/virtual-key.authenticator';
import { frameworkErrorOptions, refuseTooManyHeaders } from './errors/framework-errors';
import { loadGatewayConfig } from './gateway.config';
import { acceptEmptyBodies } from './management/empty-body.hook';
import { useJsonBodyParser } from './management/json-body.parser';
import { GatewayModule } from './gateway.module';
import { MediaProxyService } from './proxy/media-proxy.service';
import { ModelsService } from './proxy/models.service';
import { OpenAiProxyService } from './proxy/openai-proxy.service';
import { registerOpenAiRoutes } from './proxy/openai.routes';
import { StoredResponsesService } from './proxy/stored-responses.service';
import { TenantRoutingCache } from './routing/tenant-routing.cache';
import { GatewayMetrics } from './telemetry/gateway-metrics';
import { recordHttpMetrics } from './telemetry/http-metrics.hook';

async function main(): Promise<void> {
  // Logging first, at a default level, so a refused setting is reported before anything else.
  initLogging('gateway', 'info');
  const config = loadGatewayConfig();
  initLogging('gateway', config.LOG_LEVEL);
  await startMetrics({ service: 'gateway', host: config.HOST, port: config.XAI_METRICS_PORT });

  await startService({
    name: 'gateway',
    module: GatewayModule.forConfig(config),
    host: config.HOST,
    httpPort: config.HTTP_PORT,
    bodyLimit: config.XAI_BODY_LIMIT_BYTES,
    fastify: frameworkErrorOptions({
      maxHeaderBytes: config.XAI_MAX_HEADER_BYTES,
      maxParamLength: config.XAI_MAX_PARAM_LENGTH,
    }),
    configure: async (app) => {
      const fastify = app.getHttpAdapter().getInstance();
      fastify.addHook('onRequest', async (request, reply) => {
        reply.header('x-request-id', request.id);
      });
      refuseTooManyHeaders(fastify);
      acceptEmptyBodies(fastify);
      // Nest adds its body parsers when the app starts; adding them now lets the JSON one be
      // replaced (the form one is kept as it was).
      app.getHttpAdapter().registerParserMiddleware();
      useJsonBodyParser(fastify, config.XAI_BODY_LIMIT_BYTES);
      recordHttpMetrics(fastify, app.get(GatewayMetrics));
      await registerOpenAiRoutes(fastify, {
        proxy: app.get(OpenAiProxyService),
        storedResponses: app.get(StoredResponsesService),
        media: app.get(MediaProxyService),
        models: app.get(ModelsService),
        authenticator: app.get(VirtualKeyAuthenticator),
        routing: app.get(TenantRoutingCache),
        bodyLimit: config.XAI_BODY_LIMIT_BYTES,
        jsonMaxDepth: config.XAI_JSON_MAX_DEPTH,
        uploads: {
          memoryBytes: config.XAI_UPLOAD_MEMORY_BYTES,
          spoolDir: config.XAI_UPLOAD_SPOOL_DIR,
        },
      });
    },
  });
}

main().catch((error: unknown) => {
  new AppLogger('gateway').error('gateway failed to start', {
    error: error instanceof Error ? error.message : String(error),
  });
  exitAfterLogs(1);
});

import type { FastifyInstance } from 'fastify';

import { GatewayMetrics } from './gateway-metrics';

/**
 * Records every answered HTTP request (duration, method, route pattern, status) when its
 * response is sent. The route is Fastify's pattern (`/x-keys/:id`), never the raw URL.
 */
export function recordHttpMetrics(fastify: FastifyInstance, metrics: GatewayMetrics): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.recordHttp(
      request.method,
      request.routeOptions.url,
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
    done();
  });
}

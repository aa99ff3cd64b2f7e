import { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { GrpcOptions, Transport } from '@nestjs/microservices';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyServerOptions } from 'fastify';
import { GRPC_LOADER_OPTIONS, GRPC_PACKAGES, GrpcServiceName, protoPath } from '@xai/contracts';

import { AppLogger, NestPinoLogger, rootLogger } from './logger';

/** How one service process listens. */
export interface StartServiceOptions {
  /** The service's name, for logs. */
  name: string;
  /** The app's root module. */
  module: Type<unknown> | DynamicModule;
  /** Host to bind the HTTP (and gRPC) listeners to. */
  host: string;
  /** The HTTP port (health, readiness and, for the gateway, the public API). */
  httpPort: number;
  /** The gRPC service this process serves, if any, and its port. */
  grpc?: { service: GrpcServiceName; port: number };
  /** Largest HTTP request body accepted, in bytes. */
  bodyLimit?: number;
  /** Extra Fastify server options (request ids, timeouts). */
  fastify?: FastifyServerOptions;
  /** Called with the Fastify-backed app before it starts listening. */
  configure?: (app: NestFastifyApplication) => void | Promise<void>;
}

/**
 * Boots a NestJS service on Fastify, with its gRPC server when it has one, and closes it
 * cleanly on SIGTERM or SIGINT: listeners stop, in-flight work drains, logs are flushed.
 */
export async function startService(options: StartServiceOptions): Promise<INestApplication> {
  const logger = new AppLogger(options.name);
  const adapter = new FastifyAdapter({
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    trustProxy: true,
    ...options.fastify,
  });
  const app = await NestFactory.create<NestFastifyApplication>(options.module, adapter, {
    logger: new NestPinoLogger(),
    bufferLogs: false,
  });

  if (options.grpc) {
    app.connectMicroservice<GrpcOptions>({
      transport: Transport.GRPC,
      options: {
        package: GRPC_PACKAGES[options.grpc.service],
        protoPath: protoPath(options.grpc.service),
        url: `${options.host}:${options.grpc.port}`,
        loader: GRPC_LOADER_OPTIONS,
      },
    });
  }
  await options.configure?.(app);
  await app.startAllMicroservices();
  await app.listen(options.httpPort, options.host);
  logger.info('service listening', {
    http: `${options.host}:${options.httpPort}`,
    grpc: options.grpc ? `${options.host}:${options.grpc.port}` : undefined,
  });
  handleShutdown(app, logger);

  return app;
}

function handleShutdown(app: INestApplication, logger: AppLogger): void {
  let closing = false;
  const close = (signal: string): void => {
    if (closing) return;
    closing = true;
    logger.info('shutting down', { signal });
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    app
      .close()
      .then(() => {
        rootLogger().flush();
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error('shutdown failed', { error: String(error) });
        rootLogger().flush();
        process.exit(1);
      });
  };
  process.once('SIGTERM', () => close('SIGTERM'));
  process.once('SIGINT', () => close('SIGINT'));
}

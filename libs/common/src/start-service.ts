import type { IncomingMessage, Server, ServerResponse } from 'node:http';

import { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { GrpcOptions, Transport } from '@nestjs/microservices';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyServerOptions } from 'fastify';
import { GRPC_LOADER_OPTIONS, GRPC_PACKAGES, GrpcServiceName, protoPath } from '@xai/contracts';

import { useLeanAsyncResourceBind } from './lean-async-resource-bind';
import { AppLogger, exitAfterLogs, NestPinoLogger } from './logger';

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
  useLeanAsyncResourceBind();
  const adapter = new FastifyAdapter({
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    trustProxy: true,
    ...options.fastify,
  });
  const app = await NestFactory.create<NestFastifyApplication>(options.module, adapter, {
    logger: new NestPinoLogger(),
    bufferLogs: false,
    // Thrown to the caller (each main logs it and flushes) rather than Nest exiting the
    // process at once, before the asynchronous log had written why.
    abortOnError: false,
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

/** Longest wait for requests under way to finish before the service's parts are closed. */
const DRAIN_MS = 8_000;
/** How long calls cut at the end of the drain get to finish their own bookkeeping. */
const UNWIND_MS = 500;
/** Longest shutdown in all, after which the process exits anyway. */
const FORCE_EXIT_MS = 10_000;

/**
 * On SIGTERM or SIGINT: stop taking connections, let the requests under way finish (streams
 * included, up to {@link DRAIN_MS}), and only then close the application. NestJS's own close
 * runs the modules' destroy hooks before it closes the HTTP server, which would close the
 * upstream pool, Redis clients and the audit publisher under calls still being served: they
 * would fail, or finish with their audit events lost.
 */
function handleShutdown(app: INestApplication, logger: AppLogger): void {
  const server = app.getHttpServer() as Server;
  const requests = inFlight(server);
  let closing = false;
  const close = (signal: string): void => {
    if (closing) return;
    closing = true;
    logger.info('shutting down', { signal, requestsUnderWay: requests.count() });
    const force = setTimeout(() => process.exit(1), FORCE_EXIT_MS);
    force.unref();
    server.close();
    requests.closing();
    requests
      .drained(DRAIN_MS)
      .then(async (left) => {
        if (left > 0) logger.warn('requests still under way at shutdown are cut', { left });
        server.closeAllConnections();
        // A cut call still records itself (its audit event says the client was gone).
        if (left > 0) await new Promise((resolve) => setTimeout(resolve, UNWIND_MS));

        return app.close();
      })
      .then(() => exitAfterLogs(0))
      .catch((error: unknown) => {
        logger.error('shutdown failed', { error: String(error) });
        exitAfterLogs(1);
      });
  };
  process.once('SIGTERM', () => close('SIGTERM'));
  process.once('SIGINT', () => close('SIGINT'));
}

/** Counts a server's requests under way (a response not yet finished or closed). */
function inFlight(server: Server): {
  count(): number;
  closing(): void;
  drained(limitMs: number): Promise<number>;
} {
  const open = new Set<ServerResponse>();
  let closing = false;
  let onIdle: (() => void) | undefined;
  // Once stopping, a call still under way or arriving on an open connection is served, and its
  // connection closed after it, so the client takes its next call elsewhere.
  const closeAfter = (response: ServerResponse): void => {
    if (!response.headersSent) response.setHeader('connection', 'close');
  };
  server.on('request', (_request: IncomingMessage, response: ServerResponse) => {
    open.add(response);
    if (closing) closeAfter(response);
    response.once('close', () => {
      open.delete(response);
      // A keep-alive connection whose call has just ended would otherwise wait for another.
      if (closing) setImmediate(() => server.closeIdleConnections());
      if (open.size === 0) onIdle?.();
    });
  });

  return {
    count: () => open.size,
    /** From now on, connections are closed as their calls end. */
    closing: () => {
      closing = true;
      open.forEach(closeAfter);
      server.closeIdleConnections();
    },
    /** Resolves when none is left, or after `limitMs`, with how many are left. */
    drained: (limitMs) =>
      new Promise((resolve) => {
        if (open.size === 0) return resolve(0);
        const timer = setTimeout(() => resolve(open.size), limitMs);
        onIdle = () => {
          clearTimeout(timer);
          resolve(0);
        };
      }),
  };
}

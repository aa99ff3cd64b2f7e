import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Instrumentation, registerInstrumentations } from '@opentelemetry/instrumentation';
import { GrpcInstrumentation } from '@opentelemetry/instrumentation-grpc';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

import { tracingSettings } from './tracing-settings';

/** Probes and scrapes are not worth a span each. */
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

let provider: NodeTracerProvider | undefined;

/**
 * Starts tracing for this process when the OpenTelemetry variables ask for it (see
 * {@link tracingSettings}); otherwise registers nothing, so tracing costs nothing. Must run
 * before the instrumented modules (http, @grpc/grpc-js, ioredis, pg) are first loaded: each
 * app's `main.ts` imports its `tracing.ts` first for that reason.
 *
 * No header, gRPC metadata, request body or Redis argument is put on a span: those carry
 * virtual keys, provider keys and prompts.
 */
export function startTracing(service: string, env: NodeJS.ProcessEnv = process.env): boolean {
  if (provider || !tracingSettings(env).enabled) return provider !== undefined;

  provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: `xai-${service}` }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  provider.register();
  registerInstrumentations({ tracerProvider: provider, instrumentations: instrumentations() });

  return true;
}

/** Exports the spans still buffered and stops tracing; a no-op when it never started. */
export async function stopTracing(): Promise<void> {
  const current = provider;
  provider = undefined;
  await current?.shutdown();
}

function instrumentations(): Instrumentation[] {
  const noHeaders = { requestHeaders: [], responseHeaders: [] };

  return [
    new HttpInstrumentation({
      headersToSpanAttributes: { client: noHeaders, server: noHeaders },
      ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.has(pathOf(request.url)),
    }),
    new GrpcInstrumentation(),
    // Only the command name: arguments are stream entries, cache keys and values.
    new IORedisInstrumentation({ dbStatementSerializer: (command) => command }),
    new PgInstrumentation({ enhancedDatabaseReporting: false }),
    new UndiciInstrumentation(),
  ];
}

function pathOf(url: string | undefined): string {
  const path = url ?? '';
  const query = path.indexOf('?');

  return query === -1 ? path : path.slice(0, query);
}

import {
  Link,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  context,
  trace,
  type SpanContext,
} from '@opentelemetry/api';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * The W3C `traceparent` of the active span, to carry in an event so that whoever handles the
 * event can link its work to this request; undefined when tracing is off or nothing is traced.
 */
export function activeTraceparent(): string | undefined {
  const span = trace.getSpan(context.active());
  if (!span) return undefined;

  const { traceId, spanId, traceFlags } = span.spanContext();
  if (!trace.isSpanContextValid(span.spanContext())) return undefined;

  return `00-${traceId}-${spanId}-${traceFlags.toString(16).padStart(2, '0')}`;
}

/** The span context a `traceparent` names, or undefined when it is absent or malformed. */
export function spanContextOf(traceparent: string | undefined): SpanContext | undefined {
  const match = traceparent === undefined ? null : TRACEPARENT.exec(traceparent);
  if (!match) return undefined;

  const spanContext: SpanContext = {
    traceId: match[1],
    spanId: match[2],
    traceFlags: parseInt(match[3], 16) & TraceFlags.SAMPLED,
    isRemote: true,
  };

  return trace.isSpanContextValid(spanContext) ? spanContext : undefined;
}

/**
 * Runs `work` in a consumer span linked to the traces of the events it handles (a batch may
 * mix several requests, so they are links rather than one parent). Without tracing this is a
 * plain call.
 */
export async function inConsumerSpan<T>(
  name: string,
  traceparents: readonly (string | undefined)[],
  work: () => Promise<T>,
): Promise<T> {
  const links: Link[] = [];
  for (const traceparent of traceparents) {
    const linked = spanContextOf(traceparent);
    if (linked) links.push({ context: linked });
  }
  const tracer = trace.getTracer('xai-streams');

  return tracer.startActiveSpan(name, { kind: SpanKind.CONSUMER, links }, async (span) => {
    try {
      return await work();
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'handling failed' });
      throw error;
    } finally {
      span.end();
    }
  });
}

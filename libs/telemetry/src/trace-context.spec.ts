import { context, propagation, trace } from '@opentelemetry/api';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

import { activeTraceparent, inConsumerSpan, spanContextOf } from './trace-context';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';

describe('trace context in events', () => {
  it('has no traceparent to carry when nothing is traced', () => {
    expect(activeTraceparent()).toBeUndefined();
  });

  it('formats the active span as a W3C traceparent that reads back as its context', () => {
    const provider = new NodeTracerProvider();
    provider.register();
    try {
      const { traceparent, spanContext } = trace
        .getTracer('test')
        .startActiveSpan('request', (span) => {
          span.end();

          return { traceparent: activeTraceparent(), spanContext: span.spanContext() };
        });

      expect(traceparent).toBe(`00-${spanContext.traceId}-${spanContext.spanId}-01`);
      expect(spanContextOf(traceparent)).toEqual({ ...spanContext, isRemote: true });
    } finally {
      trace.disable();
      context.disable();
      propagation.disable();
    }
  });

  it('reads a valid traceparent', () => {
    expect(spanContextOf(`00-${TRACE_ID}-${SPAN_ID}-01`)).toEqual({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      traceFlags: 1,
      isRemote: true,
    });
  });

  it.each([
    undefined,
    '',
    `01-${TRACE_ID}-${SPAN_ID}-01`,
    `00-${'0'.repeat(32)}-${SPAN_ID}-01`,
    `00-${TRACE_ID}-${SPAN_ID}`,
  ])('ignores a malformed traceparent: %p', (traceparent) => {
    expect(spanContextOf(traceparent)).toBeUndefined();
  });

  it('runs the work of a consumer span and passes its failure on', async () => {
    const failure = new Error('not committed');

    await expect(inConsumerSpan('ingest', [undefined, 'bad'], async () => 7)).resolves.toBe(7);
    await expect(inConsumerSpan('ingest', [], () => Promise.reject(failure))).rejects.toBe(failure);
  });
});

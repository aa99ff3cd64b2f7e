import type { Attributes, Meter } from '@opentelemetry/api';
import { PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import {
  DataPoint,
  DataPointType,
  Histogram,
  MeterProvider,
  MetricReader,
} from '@opentelemetry/sdk-metrics';

import { MetricSeries } from './metric-series';

/** A reader that only collects on demand. */
class OnDemandReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}

  protected async onShutdown(): Promise<void> {}
}

/** One data point of a counter, gauge or histogram, simplified for assertions. */
export interface CapturedPoint {
  attributes: Attributes;
  /** A counter's or gauge's value; a histogram's count. */
  value: number;
  /** A histogram's sum. */
  sum?: number;
}

/**
 * An in-memory meter for tests: create instruments from {@link meter} (or {@link series}), act,
 * then read what they recorded with {@link points}, as a scrape would see it.
 */
export class MetricCapture {
  /** The hot-path instruments to give the code under test, read with the meter's. */
  readonly series = new MetricSeries('test');
  private readonly reader = new OnDemandReader({ metricProducers: [this.series] });
  private readonly provider = new MeterProvider({ readers: [this.reader] });
  /** The meter to give the code under test. */
  readonly meter: Meter = this.provider.getMeter('test');

  /** The points of the metric `name` (empty when it recorded nothing). */
  async points(name: string): Promise<CapturedPoint[]> {
    const { resourceMetrics } = await this.reader.collect();
    const metric = resourceMetrics.scopeMetrics
      .flatMap((scope) => scope.metrics)
      .find((candidate) => candidate.descriptor.name === name);
    if (!metric) return [];

    return (metric.dataPoints as DataPoint<number | Histogram>[]).map((point) =>
      metric.dataPointType === DataPointType.HISTOGRAM
        ? {
            attributes: point.attributes,
            value: (point.value as Histogram).count,
            sum: (point.value as Histogram).sum,
          }
        : { attributes: point.attributes, value: point.value as number },
    );
  }

  /** Everything recorded, as the service's `/metrics` would show it (no target info). */
  async exposition(): Promise<string> {
    const { resourceMetrics } = await this.reader.collect();

    return new PrometheusSerializer(undefined, false, undefined, true).serialize(resourceMetrics);
  }

  /** The summed value (or histogram count) of the points whose attributes include `match`. */
  async total(name: string, match: Attributes = {}): Promise<number> {
    const points = await this.points(name);

    return points
      .filter((point) => Object.entries(match).every(([key, v]) => point.attributes[key] === v))
      .reduce((sum, point) => sum + point.value, 0);
  }

  /** Stops the provider. */
  async shutdown(): Promise<void> {
    await this.provider.shutdown();
  }
}

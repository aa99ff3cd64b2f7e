import { Meter, createNoopMeter } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

import { MetricSeries } from './metric-series';

/** Where a service serves its metrics. */
export interface MetricsOptions {
  /** The service's name (`gateway`, `key-vault`, …); the resource is `xai-<name>`. */
  service: string;
  /** The interface to bind to: the service's own `HOST`. */
  host: string;
  /** The port of `/metrics`; 0 leaves metrics off (every instrument is a no-op). */
  port: number;
}

interface RunningMetrics {
  provider: MeterProvider;
  meter: Meter;
  series: MetricSeries;
}

let running: RunningMetrics | undefined;
const NOOP_METER = createNoopMeter();

/**
 * Starts the process's Prometheus endpoint and the meter every instrument of the service is
 * created from. Call once at boot, before the app's modules are built. The provider is kept
 * out of the global OpenTelemetry API on purpose: the tracing instrumentations would otherwise
 * record their own HTTP metrics under the same names as ours.
 */
export async function startMetrics(options: MetricsOptions): Promise<Meter> {
  if (running) return running.meter;
  if (options.port === 0) return NOOP_METER;

  const scope = `xai-${options.service}`;
  const resource = resourceFromAttributes({ [ATTR_SERVICE_NAME]: scope });
  const series = new MetricSeries(scope, resource);
  const exporter = new PrometheusExporter({
    host: options.host,
    port: options.port,
    preventServerStart: true,
    metricProducers: [series],
  });
  await exporter.startServer();
  const provider = new MeterProvider({ resource, readers: [exporter] });
  running = { provider, meter: provider.getMeter(scope), series };

  return running.meter;
}

/** The service's meter: the running one, or a no-op meter while metrics are off. */
export function serviceMeter(): Meter {
  return running?.meter ?? NOOP_METER;
}

/**
 * The service's hot-path instruments (see {@link MetricSeries}), scraped with the meter's: the
 * running ones, or a set no reader reads while metrics are off.
 */
export function serviceMetricSeries(): MetricSeries {
  return running?.series ?? new MetricSeries('unread');
}

/** Stops the metrics endpoint (the exporter's server closes with its provider). */
export async function stopMetrics(): Promise<void> {
  const current = running;
  running = undefined;
  await current?.provider.shutdown();
}

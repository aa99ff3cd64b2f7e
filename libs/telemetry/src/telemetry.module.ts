import { Global, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';

import { serviceMeter, serviceMetricSeries, stopMetrics } from './service-meter';
import { stopTracing } from './tracing';

/** Injection token of the service's OpenTelemetry `Meter` (see {@link startMetrics}). */
export const METER = Symbol('Meter');

/** Injection token of the service's hot-path instruments (see {@link serviceMetricSeries}). */
export const METRIC_SERIES = Symbol('MetricSeries');

/** Flushes buffered spans and closes the metrics endpoint when the app shuts down. */
@Injectable()
class TelemetryShutdown implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    await Promise.all([stopTracing(), stopMetrics()]);
  }
}

/**
 * Provides {@link METER} and {@link METRIC_SERIES} to every module of an app. Import it once in
 * the root module; they are whatever `startMetrics` set up at boot (a no-op meter and unread
 * series when metrics are off or in tests that do not start them).
 */
@Global()
@Module({
  providers: [
    { provide: METER, useFactory: serviceMeter },
    { provide: METRIC_SERIES, useFactory: serviceMetricSeries },
    TelemetryShutdown,
  ],
  exports: [METER, METRIC_SERIES],
})
export class TelemetryModule {}

import { Global, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';

import { serviceMeter, stopMetrics } from './service-meter';
import { stopTracing } from './tracing';

/** Injection token of the service's OpenTelemetry `Meter` (see {@link startMetrics}). */
export const METER = Symbol('Meter');

/** Flushes buffered spans and closes the metrics endpoint when the app shuts down. */
@Injectable()
class TelemetryShutdown implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    await Promise.all([stopTracing(), stopMetrics()]);
  }
}

/**
 * Provides {@link METER} to every module of an app. Import it once in the root module; the
 * meter is whatever `startMetrics` set up at boot (a no-op one when metrics are off or in
 * tests that do not start them).
 */
@Global()
@Module({
  providers: [{ provide: METER, useFactory: serviceMeter }, TelemetryShutdown],
  exports: [METER],
})
export class TelemetryModule {}

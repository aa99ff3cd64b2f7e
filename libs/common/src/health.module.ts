import { Global, Module } from '@nestjs/common';

import { HealthHttpController, ReadinessRegistry } from './readiness';

/** Serves `/healthz` and `/readyz`; import once in each app's root module. */
@Global()
@Module({
  controllers: [HealthHttpController],
  providers: [ReadinessRegistry],
  exports: [ReadinessRegistry],
})
export class HealthModule {}

import { Module } from '@nestjs/common';

import { ChainModule } from '../chain/chain.module';
import { PricingModule } from '../pricing/pricing.module';
import { AuditLogMetrics } from '../telemetry/audit-log-metrics';
import { AuditStreamGauges } from '../telemetry/audit-stream.gauges';
import { AuditConsumerLifecycle } from './audit-consumer.lifecycle';
import { auditConsumerProvider } from './audit-consumer.provider';
import { AuditEventRecorder } from './audit-event.recorder';

/** Consumes the audit stream into the trail. */
@Module({
  imports: [ChainModule, PricingModule],
  providers: [
    AuditEventRecorder,
    auditConsumerProvider,
    AuditConsumerLifecycle,
    AuditLogMetrics,
    AuditStreamGauges,
  ],
})
export class IngestModule {}

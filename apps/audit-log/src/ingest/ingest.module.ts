import { Module } from '@nestjs/common';

import { RequestEventsModule } from '../request-events/request-events.module';
import { AuditConsumerLifecycle } from './audit-consumer.lifecycle';
import { auditConsumerProvider } from './audit-consumer.provider';
import { AuditEventRecorder } from './audit-event.recorder';

/** Consumes the audit stream into the trail. */
@Module({
  imports: [RequestEventsModule],
  providers: [AuditEventRecorder, auditConsumerProvider, AuditConsumerLifecycle],
})
export class IngestModule {}

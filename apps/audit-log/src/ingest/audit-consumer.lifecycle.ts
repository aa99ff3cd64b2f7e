import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  OnApplicationBootstrap,
  OnModuleInit,
} from '@nestjs/common';
import { ReadinessRegistry } from '@xai/common';
import type { AuditStreamEvent, StreamConsumer } from '@xai/events';

import { AuditLogException } from '../errors/audit-log.exception';
import { AUDIT_CONSUMER } from './audit-consumer.provider';

/**
 * Runs the audit consumer with the process: it starts once the app is up, reports through
 * readiness, and stops before the database and Redis connections close, so the batch in flight
 * is committed and acknowledged.
 */
@Injectable()
export class AuditConsumerLifecycle
  implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown
{
  constructor(
    @Inject(AUDIT_CONSUMER) private readonly consumer: StreamConsumer<AuditStreamEvent>,
    private readonly readiness: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    this.readiness.register('consumer', async () => {
      if (!this.consumer.isRunning()) throw AuditLogException.consumerNotRunning();
    });
  }

  onApplicationBootstrap(): void {
    this.consumer.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }
}

import { Global, Inject, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { openServiceDatabase, ReadinessRegistry } from '@xai/common';
import { DataSource } from 'typeorm';

import { AUDIT_LOG_CONFIG, AuditLogConfig } from '../audit-log.config';
import { RequestEventEntity } from '../request-events/request-event.entity';
import { AUDIT_LOG_SCHEMA } from './audit-log-schema';
import { CreateRequestEvents1765000000000 } from './migrations/1765000000000-create-request-events';
import { ChainUsageAppendOnly1765100000000 } from './migrations/1765100000000-chain-usage-append-only';
import { TrailEventIndexes1765200000000 } from './migrations/1765200000000-trail-event-indexes';
import { WideUsageVerifiedMarks1765300000000 } from './migrations/1765300000000-wide-usage-verified-marks';

/** Every entity of the audit_log schema. */
export const AUDIT_LOG_ENTITIES = [RequestEventEntity];

/** Every migration of the audit_log schema, oldest first. */
export const AUDIT_LOG_MIGRATIONS = [
  CreateRequestEvents1765000000000,
  ChainUsageAppendOnly1765100000000,
  TrailEventIndexes1765200000000,
  WideUsageVerifiedMarks1765300000000,
];

/** The service's PostgreSQL connection and its readiness check. */
@Global()
@Module({
  providers: [
    {
      provide: DataSource,
      inject: [AUDIT_LOG_CONFIG],
      useFactory: (config: AuditLogConfig): Promise<DataSource> =>
        openServiceDatabase({
          url: config.DATABASE_URL,
          schema: AUDIT_LOG_SCHEMA,
          entities: AUDIT_LOG_ENTITIES,
          migrations: AUDIT_LOG_MIGRATIONS,
          poolMax: config.DATABASE_POOL_MAX,
          runMigrations: config.DATABASE_RUN_MIGRATIONS,
        }),
    },
  ],
  exports: [DataSource],
})
export class DatabaseModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly readiness: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    this.readiness.register('database', async () => {
      await this.dataSource.query('SELECT 1');
    });
  }

  // After the consumer stopped (beforeApplicationShutdown), so its last batch could commit.
  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

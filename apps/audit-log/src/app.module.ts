import { Module } from '@nestjs/common';
import { HealthModule } from '@xai/common';

import { AUDIT_LOG_CONFIG, loadAuditLogConfig } from './audit-log.config';
import { DatabaseModule } from './database/database.module';
import { IngestModule } from './ingest/ingest.module';
import { QueryModule } from './query/query.module';
import { RedisModule } from './redis/redis.module';

/** Holds the validated environment for every module of the process. */
@Module({
  providers: [{ provide: AUDIT_LOG_CONFIG, useFactory: () => loadAuditLogConfig() }],
  exports: [AUDIT_LOG_CONFIG],
})
class AuditLogConfigModule {}

/**
 * The audit-log service: consumes the audit stream into the trail and answers queries on it.
 * TODO(#6): hash chain, rollups, costs and retention build on the request_events table.
 */
@Module({
  imports: [
    { module: AuditLogConfigModule, global: true },
    HealthModule,
    DatabaseModule,
    RedisModule,
    IngestModule,
    QueryModule,
  ],
})
export class AppModule {}

import { Module } from '@nestjs/common';
import { HealthModule } from '@xai/common';

import { AUDIT_LOG_CONFIG, loadAuditLogConfig } from './audit-log.config';
import { ChainModule } from './chain/chain.module';
import { DatabaseModule } from './database/database.module';
import { IngestModule } from './ingest/ingest.module';
import { JobsModule } from './jobs/jobs.module';
import { PricingModule } from './pricing/pricing.module';
import { QueryModule } from './query/query.module';
import { RedisModule } from './redis/redis.module';
import { UsageModule } from './usage/usage.module';

/** Holds the validated environment for every module of the process. */
@Module({
  providers: [{ provide: AUDIT_LOG_CONFIG, useFactory: () => loadAuditLogConfig() }],
  exports: [AUDIT_LOG_CONFIG],
})
class AuditLogConfigModule {}

/**
 * The audit-log service: consumes the audit stream into the hash-chained trail, prices
 * requests, rolls usage up on BullMQ, enforces retention, and answers queries and
 * verification over gRPC.
 */
@Module({
  imports: [
    { module: AuditLogConfigModule, global: true },
    HealthModule,
    DatabaseModule,
    RedisModule,
    ChainModule,
    PricingModule,
    IngestModule,
    QueryModule,
    UsageModule,
    JobsModule,
  ],
})
export class AppModule {}

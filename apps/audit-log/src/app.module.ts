import { Module } from '@nestjs/common';
import { HealthModule, SERVICE_IDENTITY, serviceIdentityProvider } from '@xai/common';
import { TelemetryModule } from '@xai/telemetry';

import { AUDIT_LOG_CONFIG, loadAuditLogConfig } from './audit-log.config';
import { ChainModule } from './chain/chain.module';
import { DatabaseModule } from './database/database.module';
import { AuditLogErrorCode } from './errors/audit-log-error-code';
import { AuditLogException } from './errors/audit-log.exception';
import { IngestModule } from './ingest/ingest.module';
import { JobsModule } from './jobs/jobs.module';
import { PricingModule } from './pricing/pricing.module';
import { QueryModule } from './query/query.module';
import { RedisModule } from './redis/redis.module';
import { UsageModule } from './usage/usage.module';

/** Holds the validated environment, and who may call the gRPC API, for every module. */
@Module({
  providers: [
    { provide: AUDIT_LOG_CONFIG, useFactory: () => loadAuditLogConfig() },
    serviceIdentityProvider(
      AUDIT_LOG_CONFIG,
      'audit-log',
      (message) => new AuditLogException(AuditLogErrorCode.CallerNotAllowed, message),
    ),
  ],
  exports: [AUDIT_LOG_CONFIG, SERVICE_IDENTITY],
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
    TelemetryModule,
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

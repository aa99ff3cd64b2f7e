import type { Provider } from '@nestjs/common';
import {
  AuditStreamEvent,
  AuditStreamEventSchema,
  StreamConsumer,
  StreamConsumerOptions,
  streamNames,
} from '@xai/events';
import type Redis from 'ioredis';

import { AUDIT_LOG_CONFIG, AuditLogConfig } from '../audit-log.config';
import { AUDIT_REDIS } from '../redis/redis.module';
import { AuditLogMetrics } from '../telemetry/audit-log-metrics';
import { AuditEventRecorder } from './audit-event.recorder';

/** The consumer group every audit-log replica joins; each entry goes to one of them. */
export const AUDIT_CONSUMER_GROUP = 'audit-log';

/** Injection token of the audit stream's {@link StreamConsumer}. */
export const AUDIT_CONSUMER = Symbol('AuditConsumer');

/** How this replica reads the audit stream. */
export function auditConsumerOptions(
  config: AuditLogConfig,
  redis: Redis,
  recorder: AuditEventRecorder,
  metrics?: AuditLogMetrics,
): StreamConsumerOptions<AuditStreamEvent> {
  const stream = streamNames(config.XAI_REDIS_PREFIX).audit;

  return {
    redis,
    stream,
    group: AUDIT_CONSUMER_GROUP,
    consumer: config.AUDIT_CONSUMER_NAME,
    schema: AuditStreamEventSchema,
    handle: (event) => recorder.record(event),
    // One transaction (one WAL flush) per read rather than per event.
    handleBatch: (events) => {
      const record = () => recorder.recordBatch(events.map(({ event }) => event));

      return metrics ? metrics.ingest(events, record) : record();
    },
    // Under load, reads gather into batches of a hundred events and more: per event, far fewer
    // transactions and round trips to PostgreSQL and Redis (docs/performance.md).
    batchSize: config.AUDIT_BATCH_SIZE,
    gatherMs: config.AUDIT_GATHER_MS,
    reclaimIdleMs: config.AUDIT_RECLAIM_IDLE_MS,
    deadLetterStream: `${stream}:dead`,
    // Entries are stored (and acknowledged) once in the trail: the stream need not keep them.
    trimAcknowledged: true,
    // A replica silent this long is gone; its pending entries were reclaimed long before.
    forgetConsumersIdleMs: Math.max(60 * config.AUDIT_RECLAIM_IDLE_MS, 3_600_000),
  };
}

/** Provides the audit stream's consumer; {@link AuditConsumerLifecycle} starts and stops it. */
export const auditConsumerProvider: Provider = {
  provide: AUDIT_CONSUMER,
  inject: [AUDIT_LOG_CONFIG, AUDIT_REDIS, AuditEventRecorder, AuditLogMetrics],
  useFactory: (
    config: AuditLogConfig,
    redis: Redis,
    recorder: AuditEventRecorder,
    metrics: AuditLogMetrics,
  ) => new StreamConsumer(auditConsumerOptions(config, redis, recorder, metrics)),
};

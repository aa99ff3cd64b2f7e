import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { Meter } from '@opentelemetry/api';
import { streamNames } from '@xai/events';
import { METER } from '@xai/telemetry';
import type Redis from 'ioredis';

import { AUDIT_LOG_CONFIG, AuditLogConfig } from '../audit-log.config';
import { AUDIT_CONSUMER_GROUP } from '../ingest/audit-consumer.provider';
import { AUDIT_REDIS } from '../redis/redis.module';

/** What `XINFO GROUPS` says of the audit consumer group. */
interface GroupInfo {
  pending: number;
  lag: number;
}

/**
 * The audit stream's backlog as gauges, read from Redis (`XINFO GROUPS`, one command) only
 * when metrics are collected: entries delivered but not yet acknowledged, and entries not yet
 * delivered to the group. Nothing is observed while Redis cannot answer.
 */
@Injectable()
export class AuditStreamGauges implements OnModuleInit {
  private readonly stream: string;

  constructor(
    @Inject(METER) private readonly meter: Meter,
    @Inject(AUDIT_REDIS) private readonly redis: Redis,
    @Inject(AUDIT_LOG_CONFIG) config: AuditLogConfig,
  ) {
    this.stream = streamNames(config.XAI_REDIS_PREFIX).audit;
  }

  onModuleInit(): void {
    const pending = this.meter.createObservableGauge('xai.audit_log.stream.pending', {
      description: 'Audit stream entries delivered to a consumer and not yet committed',
      unit: '{event}',
    });
    const undelivered = this.meter.createObservableGauge('xai.audit_log.stream.undelivered', {
      description: 'Audit stream entries not yet read by the consumer group',
      unit: '{event}',
    });
    this.meter.addBatchObservableCallback(
      async (result) => {
        const group = await this.groupInfo();
        if (!group) return;

        result.observe(pending, group.pending);
        result.observe(undelivered, group.lag);
      },
      [pending, undelivered],
    );
  }

  private async groupInfo(): Promise<GroupInfo | undefined> {
    try {
      const groups = (await this.redis.xinfo('GROUPS', this.stream)) as unknown[];
      for (const group of groups) {
        const fields = fieldsOf(group);
        if (fields.get('name') === AUDIT_CONSUMER_GROUP) {
          return {
            pending: Number(fields.get('pending') ?? 0),
            lag: Number(fields.get('lag') ?? 0),
          };
        }
      }
    } catch {
      // No stream yet, or Redis unreachable: readiness reports the latter.
    }

    return undefined;
  }
}

function fieldsOf(group: unknown): Map<string, unknown> {
  const fields = new Map<string, unknown>();
  if (!Array.isArray(group)) return fields;

  for (let index = 0; index + 1 < group.length; index += 2) {
    fields.set(String(group[index]), group[index + 1]);
  }

  return fields;
}

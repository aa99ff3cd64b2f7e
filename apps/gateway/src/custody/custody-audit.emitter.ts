import { randomUUID } from 'node:crypto';

import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { AppLogger } from '@xai/common';
import {
  EVENT_FIELD,
  JsonValue,
  ManagementChangeEvent,
  createRedisClient,
  streamNames,
} from '@xai/events';
import type Redis from 'ioredis';

import { Caller } from '../auth/caller';
import { GATEWAY_CONFIG, GatewayConfig } from '../gateway.config';

/** One custody change to record: what, and the state before and after (never a secret). */
export interface CustodyChange {
  resource: ManagementChangeEvent['resource'];
  resourceId: string | null;
  action: ManagementChangeEvent['action'];
  before: JsonValue | null;
  after: JsonValue | null;
}

/**
 * Records who changed a tenant's credentials or deleted the tenant, as management-change events
 * on the audit stream. Awaited (these are rare management calls, not the hot path) but never
 * failing the change: an event Redis refuses is logged by ids.
 */
@Injectable()
export class CustodyAuditEmitter implements OnModuleDestroy {
  private readonly logger = new AppLogger(CustodyAuditEmitter.name);
  private readonly redis: Redis;
  private readonly stream: string;

  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    this.redis = createRedisClient(config.REDIS_URL, 'gateway-custody-audit');
    this.stream = streamNames(config.XAI_REDIS_PREFIX).audit;
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }

  /** Records one change made by `caller` in request `requestId`. */
  async record(caller: Caller, requestId: string, change: CustodyChange): Promise<void> {
    const event: ManagementChangeEvent = {
      type: 'management_change',
      eventId: randomUUID(),
      occurredAt: new Date().toISOString(),
      tenantId: caller.tenantId,
      requestId,
      actorVirtualKeyId: caller.virtualKeyId,
      actorMemberId: null,
      ...change,
    };
    try {
      await this.redis.xadd(this.stream, '*', EVENT_FIELD, JSON.stringify(event));
    } catch (error) {
      this.logger.error('custody change not recorded on the audit stream', {
        requestId,
        tenantId: caller.tenantId,
        resource: change.resource,
        action: change.action,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}

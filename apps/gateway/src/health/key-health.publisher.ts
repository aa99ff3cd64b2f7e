import { randomUUID } from 'node:crypto';

import { once } from 'node:events';

import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { AppLogger } from '@xai/common';
import {
  KeyHealthEvent,
  KeyHealthEventSchema,
  StreamPublisher,
  createRedisClient,
  streamNames,
} from '@xai/events';
import type Redis from 'ioredis';

import { GATEWAY_CONFIG, GatewayConfig } from '../gateway.config';
import { HealthTransition } from './key-health.types';

/**
 * Announces key-health transitions on the key-health stream, for config to record (and for
 * alerts). The state itself lives in Redis already; an announcement that fails is logged, not
 * retried, and never holds up a call.
 */
@Injectable()
export class KeyHealthPublisher implements OnModuleDestroy {
  private readonly logger = new AppLogger(KeyHealthPublisher.name);
  private readonly redis: Redis;
  private readonly stream: StreamPublisher<KeyHealthEvent>;

  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    this.redis = createRedisClient(config.REDIS_URL, 'gateway-key-health-events');
    // A failed publish is logged where it happens; ioredis would also print every error.
    this.redis.on('error', () => undefined);
    this.stream = new StreamPublisher(this.redis, streamNames(config.XAI_REDIS_PREFIX).keyHealth);
  }

  /** Resolves once the connection is up (publishes fail fast while it is not). */
  async whenReady(): Promise<void> {
    if (this.redis.status !== 'ready') await once(this.redis, 'ready');
  }

  /** Publishes one transition of a key; never throws. */
  async publish(
    key: { tenantId: string; providerKeyId: string },
    transition: HealthTransition,
    now: number,
  ): Promise<void> {
    const event = KeyHealthEventSchema.parse({
      eventId: randomUUID(),
      tenantId: key.tenantId,
      providerKeyId: key.providerKeyId,
      from: transition.from,
      to: transition.to,
      reason: transition.reason,
      detail: transition.detail,
      until: transition.until === null ? null : new Date(transition.until).toISOString(),
      occurredAt: new Date(now).toISOString(),
    });
    this.logger.info('provider key health changed', {
      tenantId: event.tenantId,
      providerKeyId: event.providerKeyId,
      from: event.from,
      to: event.to,
      reason: event.reason,
      until: event.until,
    });
    try {
      await this.stream.publish(event);
    } catch (error) {
      this.logger.warn('key-health event not published', {
        providerKeyId: event.providerKeyId,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}

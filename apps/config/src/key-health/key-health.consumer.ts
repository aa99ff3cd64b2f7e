import { hostname } from 'node:os';

import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { AppLogger } from '@xai/common';
import {
  KeyHealthEvent,
  KeyHealthEventSchema,
  StreamConsumer,
  createRedisClient,
  streamNames,
} from '@xai/events';
import type Redis from 'ioredis';

import { CONFIG_SERVICE_CONFIG, ConfigServiceConfig } from '../config.config';
import { KeyHealthEventsRepository } from './key-health-events.repository';

/** The consumer group of the config service on the key-health stream. */
export const KEY_HEALTH_GROUP = 'config';

/**
 * Records the key-health transitions gateways announce (DESIGN.md section 8): reads the
 * key-health stream as a consumer group, at least once, and stores each event idempotently.
 */
@Injectable()
export class KeyHealthConsumer implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new AppLogger(KeyHealthConsumer.name);
  private readonly redis: Redis;
  private readonly consumer: StreamConsumer<KeyHealthEvent>;

  constructor(
    @Inject(CONFIG_SERVICE_CONFIG) config: ConfigServiceConfig,
    private readonly events: KeyHealthEventsRepository,
  ) {
    this.redis = createRedisClient(config.REDIS_URL, 'xai-config-key-health');
    // The consumer reports outages itself; ioredis would otherwise print every reconnect.
    this.redis.on('error', () => undefined);
    this.consumer = new StreamConsumer<KeyHealthEvent>({
      redis: this.redis,
      stream: streamNames(config.XAI_REDIS_PREFIX).keyHealth,
      group: KEY_HEALTH_GROUP,
      consumer: `${hostname()}-${process.pid}`,
      schema: KeyHealthEventSchema,
      handle: (event) => this.handle(event),
    });
  }

  onModuleInit(): void {
    this.consumer.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
    this.redis.disconnect();
  }

  /** Stores one event; an event of a tenant that no longer exists is dropped with a note. */
  async handle(event: KeyHealthEvent): Promise<void> {
    const outcome = await this.events.record(event);
    if (outcome === 'tenant_gone') {
      this.logger.info('key-health event of a deleted tenant dropped', {
        tenantId: event.tenantId,
        eventId: event.eventId,
      });
    }
  }
}

import { randomUUID } from 'node:crypto';

import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import {
  DiskSpool,
  KeyUseEvent,
  SpooledStreamPublisher,
  SpoolStats,
  createRedisClient,
  defaultSpoolDir,
  streamNames,
} from '@xai/events';
import { activeTraceparent } from '@xai/telemetry';
import type Redis from 'ioredis';

import { KEY_VAULT_CONFIG, KeyVaultConfig } from '../key-vault.config';

/** A key use as the custody code reports it; the emitter adds the id and the time. */
export type KeyUse = Omit<KeyUseEvent, 'type' | 'eventId' | 'occurredAt'>;

/**
 * Sends one key-use event per provider-key operation to the audit stream (DESIGN.md section 8),
 * without holding up the answer: events are written to Redis in pipelined batches, and while
 * Redis is unreachable appended to a bounded spool on local disk (`XAI_KEY_USE_SPOOL_DIR`,
 * `XAI_KEY_USE_SPOOL_MAX_BYTES`) that is replayed at start and as soon as Redis is back, the
 * way the gateway spools its request events. So a key-vault restarted while Redis is down
 * loses none. Only when Redis, the spool and the memory buffer are all full are events dropped,
 * counted and logged.
 */
@Injectable()
export class KeyUseEmitter implements OnModuleInit, OnModuleDestroy {
  private readonly redis: Redis;
  private readonly publisher: SpooledStreamPublisher<KeyUseEvent>;

  constructor(@Inject(KEY_VAULT_CONFIG) config: KeyVaultConfig) {
    this.redis = createRedisClient(config.REDIS_URL, 'key-vault-key-use');
    this.redis.on('error', () => undefined);
    this.publisher = new SpooledStreamPublisher<KeyUseEvent>({
      redis: this.redis,
      stream: streamNames(config.XAI_REDIS_PREFIX).audit,
      spool: new DiskSpool({
        dir: config.XAI_KEY_USE_SPOOL_DIR ?? defaultSpoolDir(`key-vault-${config.GRPC_PORT}`),
        maxBytes: config.XAI_KEY_USE_SPOOL_MAX_BYTES,
      }),
    });
  }

  /** Opens the spool and replays what an earlier run left in it. */
  async onModuleInit(): Promise<void> {
    await this.publisher.start();
  }

  /** Queues one event; never throws and never waits. */
  emit(use: KeyUse): void {
    this.publisher.publish({
      type: 'key_use',
      eventId: randomUUID(),
      occurredAt: new Date().toISOString(),
      ...use,
      traceparent: activeTraceparent(),
    });
  }

  /** Buffered, spooled, dropped and replayed counts. */
  stats(): SpoolStats {
    return this.publisher.stats();
  }

  /** Writes out what is buffered (to Redis, else the spool) before the process ends. */
  async onModuleDestroy(): Promise<void> {
    await this.publisher.stop();
    this.redis.disconnect();
  }
}

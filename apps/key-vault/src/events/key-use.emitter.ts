import { randomUUID } from 'node:crypto';

import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { AppLogger } from '@xai/common';
import { EVENT_FIELD, KeyUseEvent, createRedisClient, streamNames } from '@xai/events';
import type Redis from 'ioredis';

import { KEY_VAULT_CONFIG, KeyVaultConfig } from '../key-vault.config';

const MAX_BUFFERED = 20_000;
const BATCH = 500;
const RETRY_MS = 1_000;

/** A key use as the custody code reports it; the emitter adds the id and the time. */
export type KeyUse = Omit<KeyUseEvent, 'type' | 'eventId' | 'occurredAt'>;

/**
 * Sends one key-use event per provider-key operation to the audit stream (DESIGN.md section 8),
 * without holding up the answer: events are buffered and written in pipelined batches, kept
 * while Redis is away and retried. Past the bound the oldest are dropped, with an error log.
 * TODO(#6): spool to disk (SpooledStreamPublisher) so a restart while Redis is down loses none.
 */
@Injectable()
export class KeyUseEmitter implements OnModuleDestroy {
  private readonly logger = new AppLogger(KeyUseEmitter.name);
  private readonly redis: Redis;
  private readonly stream: string;
  private buffer: KeyUseEvent[] = [];
  private flushing = false;
  private retryTimer?: NodeJS.Timeout;

  constructor(@Inject(KEY_VAULT_CONFIG) config: KeyVaultConfig) {
    this.redis = createRedisClient(config.REDIS_URL, 'key-vault-key-use');
    this.stream = streamNames(config.XAI_REDIS_PREFIX).audit;
  }

  /** Queues one event; never throws and never waits. */
  emit(use: KeyUse): void {
    if (this.buffer.length >= MAX_BUFFERED) {
      this.buffer.shift();
      this.logger.error('key-use buffer full: oldest event dropped', { bound: MAX_BUFFERED });
    }
    this.buffer.push({
      type: 'key_use',
      eventId: randomUUID(),
      occurredAt: new Date().toISOString(),
      ...use,
    });
    if (!this.retryTimer) setImmediate(() => void this.flush());
  }

  async onModuleDestroy(): Promise<void> {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    await this.flush();
    if (this.buffer.length > 0) {
      this.logger.error('key-use events not delivered at shutdown', { count: this.buffer.length });
    }
    this.redis.disconnect();
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.buffer.length > 0) {
        const batch = this.buffer.slice(0, BATCH);
        await this.write(batch);
        this.buffer = this.buffer.slice(batch.length);
      }
    } catch (error) {
      this.logger.warn('audit stream unreachable; key-use events kept for retry', {
        pending: this.buffer.length,
        error: error instanceof Error ? error.message : String(error),
      });
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined;
        void this.flush();
      }, RETRY_MS);
    } finally {
      this.flushing = false;
    }
  }

  private async write(batch: KeyUseEvent[]): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const event of batch) pipeline.xadd(this.stream, '*', EVENT_FIELD, JSON.stringify(event));
    const results = await pipeline.exec();
    const failed = results?.find(([error]) => error);
    if (!results || failed) throw failed?.[0] ?? new Error('pipeline aborted');
  }
}

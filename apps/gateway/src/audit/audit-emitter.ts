import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { AppLogger, ReadinessRegistry } from '@xai/common';
import {
  EVENT_FIELD,
  RequestAuditEvent,
  createRedisClient,
  redisReadiness,
  streamNames,
} from '@xai/events';
import type Redis from 'ioredis';

import { GATEWAY_CONFIG, GatewayConfig } from '../gateway.config';

const MAX_BUFFERED = 50_000;
const BATCH = 500;
const RETRY_MS = 1_000;

/**
 * Sends audit events to the audit stream without holding up responses: events are buffered in
 * memory and flushed in pipelined batches. While Redis is unreachable they stay buffered and
 * are retried; past the bound the oldest are dropped and counted in an error log.
 * TODO(#6): a bounded on-disk spool replayed after restarts, and the fail-closed setting.
 */
@Injectable()
export class AuditEmitter implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new AppLogger(AuditEmitter.name);
  private readonly redis: Redis;
  private readonly stream: string;
  private buffer: RequestAuditEvent[] = [];
  private flushing = false;
  private scheduled = false;
  private retryTimer?: NodeJS.Timeout;

  constructor(
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    private readonly readiness: ReadinessRegistry,
  ) {
    this.redis = createRedisClient(config.REDIS_URL, 'gateway-audit');
    this.stream = streamNames(config.XAI_REDIS_PREFIX).audit;
  }

  onModuleInit(): void {
    this.readiness.register('redis', redisReadiness(this.redis));
  }

  /** Queues one event; never throws and never waits. */
  emit(event: RequestAuditEvent): void {
    if (this.buffer.length >= MAX_BUFFERED) {
      this.buffer.shift();
      this.logger.error('audit buffer full: oldest event dropped', { bound: MAX_BUFFERED });
    }
    this.buffer.push(event);
    this.schedule();
  }

  /** Events not yet written to Redis. */
  get pending(): number {
    return this.buffer.length;
  }

  async onModuleDestroy(): Promise<void> {
    clearTimeout(this.retryTimer);
    await this.flush();
    if (this.buffer.length > 0) {
      this.logger.error('audit events not delivered at shutdown', { count: this.buffer.length });
    }
    this.redis.disconnect();
  }

  private schedule(): void {
    if (this.scheduled || this.flushing || this.retryTimer) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
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
      this.logger.warn('audit stream unreachable; events kept for retry', {
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

  private async write(batch: RequestAuditEvent[]): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const event of batch) pipeline.xadd(this.stream, '*', EVENT_FIELD, JSON.stringify(event));
    const results = await pipeline.exec();
    const failed = results?.find(([error]) => error);
    if (!results || failed) throw failed?.[0] ?? new Error('pipeline aborted');
  }
}

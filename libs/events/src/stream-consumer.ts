import { AppLogger } from '@xai/common';
import type Redis from 'ioredis';

import { Backoff, pause } from './backoff';
import { ConsumerGroup, isRedisError } from './consumer-group';
import { StreamEntry } from './stream-entry';
import {
  type ConsumerSettings,
  settingsOf,
  type StreamConsumerOptions,
} from './stream-consumer-options';
import { StreamEntryHandler } from './stream-entry-handler';
import type { StreamLogger } from './stream-logger';

/**
 * Reads one stream as a member of a consumer group, at least once: an entry is acknowledged
 * only after `handle` resolved, so `handle` must be idempotent.
 *
 * On start it creates the group if missing, then works through its own pending entries before
 * reading new ones. A failing `handle` leaves the entry pending; it is retried with backoff while
 * new entries keep flowing. Entries a dead consumer left pending are taken over with `XAUTOCLAIM`
 * once idle for `reclaimIdleMs`. Entries that do not parse are dead-lettered, never dropped.
 * Redis outages are waited out: the consumer reconnects, recreates the group if the stream
 * vanished, and resumes.
 */
export class StreamConsumer<E> {
  private readonly logger: StreamLogger;
  private readonly settings: ConsumerSettings;
  private readonly retries: Backoff;
  private readonly redisRetries: Backoff;
  private readonly entries: StreamEntryHandler<E>;
  private reader?: Redis;
  private group?: ConsumerGroup;
  private loop?: Promise<void>;
  private abort = new AbortController();
  private stopping = false;
  private reading = false;
  private groupReady = false;
  private pendingScanAt = 0;
  private pendingScanDue = true;
  private nextReclaimAt = 0;

  constructor(private readonly options: StreamConsumerOptions<E>) {
    this.logger = options.logger ?? new AppLogger(StreamConsumer.name);
    this.settings = settingsOf(options);
    const retry = options.retryBackoff ?? { initialMs: 500, maxMs: 30_000 };
    const redisRetry = options.redisBackoff ?? { initialMs: 200, maxMs: 5_000 };
    this.retries = new Backoff(retry.initialMs, retry.maxMs);
    this.redisRetries = new Backoff(redisRetry.initialMs, redisRetry.maxMs);
    this.entries = new StreamEntryHandler(options, this.logger, this.settings.deadLetterStream);
  }

  /** Starts consuming in the background; a no-op when already started. */
  start(): void {
    if (this.loop) return;

    const { redis, stream, group, consumer } = this.options;
    this.stopping = false;
    this.abort = new AbortController();
    this.reader = redis.duplicate({
      connectionName: `xai-consumer:${group}:${consumer}`,
      enableOfflineQueue: true,
      // Without resending, ioredis drops a read in flight when it reconnects at once, and its
      // promise never settles.
      autoResendUnfulfilledCommands: true,
      // A watchdog for a read whose connection died silently; no read blocks longer than blockMs.
      commandTimeout: this.settings.blockMs + 10_000,
    });
    // A read whose reply was lost with the connection may have left entries pending with us.
    this.reader.on('close', () => this.schedulePendingScan(0));
    this.reader.on('error', (error: Error) =>
      this.logger.debug('redis reader error', { error: error.message }),
    );
    this.group = new ConsumerGroup(redis, this.reader, { stream, group, consumer });
    this.groupReady = false;
    this.schedulePendingScan(0);
    this.nextReclaimAt = 0;
    this.loop = this.run();
    this.logger.info('stream consumer started', { stream, group, consumer });
  }

  /**
   * Stops gracefully: the batch being handled is finished and acknowledged, no new read is
   * made, and the dedicated connection is closed. A read waiting for entries is cut short;
   * anything Redis handed out meanwhile stays pending with this consumer name.
   */
  async stop(): Promise<void> {
    if (!this.loop) return;

    this.stopping = true;
    this.abort.abort();
    if (this.reading) this.closeReader();
    await this.loop;
    this.closeReader();
    this.loop = undefined;
    this.logger.info('stream consumer stopped', { stream: this.options.stream });
  }

  // Once only: a second `disconnect()` on a closed socket leaves a 2 s ioredis timer behind.
  private closeReader(): void {
    this.reader?.disconnect();
    this.reader = undefined;
  }

  /** Whether the consumer was started and is not stopping. */
  isRunning(): boolean {
    return this.loop !== undefined && !this.stopping;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      try {
        await this.step();
        this.redisRetries.reset();
      } catch (error) {
        await this.recover(error);
      }
    }
  }

  private async step(): Promise<void> {
    if (!this.groupReady) {
      await this.requireGroup().ensure();
      this.groupReady = true;
    }
    if (Date.now() >= this.nextReclaimAt) {
      await this.reclaimIdle();
      await this.tidy();
      this.nextReclaimAt = Date.now() + this.settings.reclaimIntervalMs;
    }
    if (this.pendingScanDue && Date.now() >= this.pendingScanAt) {
      await this.drainPending();

      return;
    }
    const entries = await this.readNew();
    await this.process(entries);
    if (
      this.settings.gatherMs > 0 &&
      entries.length > 0 &&
      entries.length < this.settings.batchSize
    ) {
      await pause(this.settings.gatherMs, this.abort.signal);
    }
  }

  private async recover(error: unknown): Promise<void> {
    if (this.stopping) return;

    const message = error instanceof Error ? error.message : String(error);
    if (isRedisError(error, 'NOGROUP')) {
      // The stream (and with it the group) is gone, e.g. after a Redis restart without persistence.
      this.groupReady = false;
      this.logger.warn('consumer group missing; recreating it', { stream: this.options.stream });
    } else {
      this.logger.warn('stream read failed; retrying', {
        stream: this.options.stream,
        error: message,
      });
    }
    this.schedulePendingScan(0);
    await pause(this.redisRetries.next(), this.abort.signal);
  }

  private async readNew(): Promise<StreamEntry[]> {
    if (this.stopping) return [];

    const now = Date.now();
    const untilPendingScan = this.pendingScanDue ? this.pendingScanAt - now : Infinity;
    const waitMs = Math.min(this.settings.blockMs, this.nextReclaimAt - now, untilPendingScan);
    this.reading = true;
    try {
      return await this.requireGroup().readNew(this.settings.batchSize, waitMs);
    } finally {
      this.reading = false;
    }
  }

  /** Works through this consumer's own pending entries, oldest first. */
  private async drainPending(): Promise<void> {
    // Cleared first: a failure during this pass schedules the next one, after a backoff.
    this.pendingScanDue = false;
    let after = '0';
    let allHandled = true;
    while (!this.stopping) {
      const entries = await this.requireGroup().readPending(after, this.settings.batchSize);
      if (entries.length === 0) break;
      allHandled = (await this.process(entries)) && allHandled;
      after = entries[entries.length - 1].id;
    }
    if (allHandled && !this.stopping) this.retries.reset();
  }

  /** Takes over entries that a dead (or stuck) consumer left pending, and handles them. */
  private async reclaimIdle(): Promise<void> {
    let start = '0-0';
    do {
      const claim = await this.requireGroup().claimIdle(
        this.settings.reclaimIdleMs,
        start,
        this.settings.batchSize,
      );
      if (claim.entries.length > 0) {
        this.logger.info('reclaimed idle entries', {
          stream: this.options.stream,
          count: claim.entries.length,
        });
      }
      await this.process(claim.entries);
      start = claim.next;
    } while (start !== '0-0' && !this.stopping);
  }

  /** Trims acknowledged entries and forgets long-gone consumers, when asked to. */
  private async tidy(): Promise<void> {
    const { trimAcknowledged, forgetConsumersIdleMs, stream } = this.options;
    if (trimAcknowledged) {
      const trimmed = await this.requireGroup().trimAcknowledged();
      if (trimmed > 0) this.logger.debug('acknowledged entries trimmed', { stream, trimmed });
    }
    if (forgetConsumersIdleMs !== undefined) {
      const removed = await this.requireGroup().removeIdleConsumers(forgetConsumersIdleMs);
      if (removed.length > 0) this.logger.info('idle consumers removed', { stream, removed });
    }
  }

  /** Handles a read in order (see {@link StreamEntryHandler}); a failure schedules a retry. */
  private async process(entries: StreamEntry[]): Promise<boolean> {
    const allHandled = await this.entries.process(this.requireGroup(), entries);
    if (!allHandled) this.schedulePendingScan(this.retries.next());

    return allHandled;
  }

  private schedulePendingScan(delayMs: number): void {
    const at = Date.now() + delayMs;
    this.pendingScanAt = this.pendingScanDue ? Math.min(this.pendingScanAt, at) : at;
    this.pendingScanDue = true;
  }

  private requireGroup(): ConsumerGroup {
    if (!this.group) throw new Error('StreamConsumer used before start()');

    return this.group;
  }
}

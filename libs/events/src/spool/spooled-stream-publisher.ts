import { AppLogger } from '@xai/common';
import type Redis from 'ioredis';

import type { StreamLogger } from '../stream-logger';
import { EVENT_FIELD } from '../stream-publisher';
import { DiskSpool } from './disk-spool';

/** How a {@link SpooledStreamPublisher} publishes and where it spools. */
export interface SpooledStreamPublisherOptions<E = unknown> {
  /** A connection that fails commands at once while disconnected (`createRedisClient`). */
  redis: Redis;
  stream: string;
  /** Where events go while Redis cannot take them. */
  spool: DiskSpool;
  /** Events per pipelined write (default 500). */
  batchSize?: number;
  /**
   * How long an event may wait for others to share its write, in ms (default 0: the next turn
   * of the event loop). A few ms under load turn many small writes into a few larger ones (one
   * system call and one Redis round trip each), for the publisher, Redis and the stream's
   * readers alike; a batch that reaches `batchSize` goes at once.
   */
  lingerMs?: number;
  /** A write to Redis that takes longer counts as failed and goes to the spool (default 2 000 ms). */
  writeTimeoutMs?: number;
  /** How often a failed write or a non-empty spool is retried (default 1 000 ms). */
  retryMs?: number;
  /** Events held in memory while neither Redis nor the spool takes them (default 10 000). */
  memoryBound?: number;
  /**
   * Events that may be dropped first when memory is full (for instance those of calls that used
   * no key). Default: none, the oldest event is dropped.
   */
  expendable?: (event: E) => boolean;
  /**
   * Never drop an event that is not expendable: past `memoryBound` such events are kept
   * anyway (the caller bounds them, e.g. by refusing new work). Default false.
   */
  keepEssential?: boolean;
  /** Defaults to an `AppLogger` named after this class. */
  logger?: StreamLogger;
}

/** Counters for readiness, metrics and tests. */
export interface SpoolStats {
  /** Events in memory, waiting for a write. */
  buffered: number;
  /** Bytes waiting in the spool on disk. */
  spoolBytes: number;
  /** Events dropped because memory, Redis and the spool were all full or down. */
  dropped: number;
  /** Events replayed from the spool since start. */
  replayed: number;
}

/**
 * Publishes events to a Redis stream without ever making the caller wait, and without losing
 * them while Redis is away: events are buffered for one tick (or `lingerMs`) and written in
 * pipelined batches; a batch Redis does not take (down, or slower than `writeTimeoutMs`) is
 * appended to the disk spool instead. The spool is replayed into the stream at start, whenever
 * the connection becomes ready again, and on a timer while it holds anything. A replayed event
 * may reach the stream twice (for instance when a slow write did land after all); consumers
 * dedupe by id.
 */
export class SpooledStreamPublisher<E> {
  private readonly logger: StreamLogger;
  private readonly batchSize: number;
  private buffer: E[] = [];
  /** How many events at the front of `buffer` are being written; they are never evicted. */
  private inFlight = 0;
  private flushing = false;
  private replaying = false;
  private scheduled = false;
  private timer?: NodeJS.Timeout;
  private lingerTimer?: NodeJS.Timeout;
  private redisHealthy = false;
  private stopped = false;
  private spoolFull = false;
  private readonly counters = { dropped: 0, replayed: 0 };
  /** Events dropped since the last time one could be stored. */
  private droppedInEpisode = 0;
  private readonly onReady = (): void => this.kick();

  constructor(private readonly options: SpooledStreamPublisherOptions<E>) {
    this.logger = options.logger ?? new AppLogger(SpooledStreamPublisher.name);
    this.batchSize = options.batchSize ?? 500;
  }

  /** Opens the spool and replays what a previous run left in it. */
  async start(): Promise<void> {
    await this.options.spool.open();
    this.options.redis.on('ready', this.onReady);
    this.redisHealthy = this.options.redis.status === 'ready';
    this.kick();
  }

  /** Queues one event; never throws and never waits. */
  publish(event: E): void {
    const bound = this.options.memoryBound ?? 10_000;
    if (this.buffer.length >= bound && !this.makeRoom(event, bound)) return;
    this.buffer.push(event);
    this.schedule();
  }

  /**
   * Makes room for `event` in a full buffer by dropping (and counting) one event: the oldest
   * expendable one, else `event` itself if it is expendable, else the oldest (unless essential
   * events are kept, then nothing is dropped). Events being written are never dropped. False
   * when `event` is the one dropped.
   */
  private makeRoom(event: E, bound: number): boolean {
    const expendable = this.options.expendable ?? (() => false);
    const victim = this.buffer.findIndex(
      (queued, index) => index >= this.inFlight && expendable(queued),
    );
    if (victim >= 0) {
      this.buffer.splice(victim, 1);
    } else if (this.options.keepEssential && !expendable(event)) {
      return true;
    } else if (expendable(event) || this.buffer.length <= this.inFlight) {
      this.noteDrop(bound);

      return false;
    } else {
      this.buffer.splice(this.inFlight, 1);
    }
    this.noteDrop(bound);

    return true;
  }

  /**
   * Whether an event published now will be kept: Redis takes writes, or the spool has room
   * for at least `reserveBytes` more: by default 64 KiB (room for the events of calls already
   * under way), but at most a quarter of the spool, so a small spool is still usable.
   */
  canAccept(reserveBytes = Math.min(64 * 1024, this.options.spool.maxBytes / 4)): boolean {
    if (this.redisHealthy && this.options.redis.status === 'ready') return true;

    return this.options.spool.hasRoomFor(reserveBytes);
  }

  stats(): SpoolStats {
    return {
      buffered: this.buffer.length,
      spoolBytes: this.options.spool.bytes,
      ...this.counters,
    };
  }

  /** Writes out what is buffered (to Redis, else the spool) and closes the spool. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.lingerTimer);
    this.options.redis.off('ready', this.onReady);
    await this.waitIdle();
    await this.flush();
    if (this.buffer.length > 0) {
      this.logger.error('events lost at shutdown', { count: this.buffer.length });
    }
    await this.options.spool.close();
  }

  private kick(): void {
    this.schedule();
    void this.replay();
  }

  private schedule(): void {
    if (this.stopped) return;
    const lingerMs = this.options.lingerMs ?? 0;
    if (lingerMs > 0 && this.buffer.length < this.batchSize) {
      this.lingerTimer ??= setTimeout(() => {
        this.lingerTimer = undefined;
        void this.flush();
      }, lingerMs);

      return;
    }
    if (this.scheduled) return;
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
        const batch = this.buffer.slice(0, this.batchSize);
        this.inFlight = batch.length;
        const stored = await this.store(batch).finally(() => (this.inFlight = 0));
        this.buffer = this.buffer.slice(stored);
        if (stored > 0) this.endDropEpisode();
        if (stored < batch.length) break;
      }
    } finally {
      this.flushing = false;
    }
    if (this.buffer.length > 0 || this.options.spool.hasData()) this.retryLater();
  }

  /** Redis first, the spool second; resolves to how many events of the batch were stored. */
  private async store(batch: E[]): Promise<number> {
    const payloads = batch.map((event) => JSON.stringify(event));
    if (this.options.redis.status === 'ready') {
      try {
        await this.write(payloads);
        this.redisHealthy = true;

        return payloads.length;
      } catch (error) {
        this.redisHealthy = false;
        this.logger.warn('stream write failed; spooling to disk', {
          stream: this.options.stream,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    } else {
      this.redisHealthy = false;
    }

    return this.spool(payloads);
  }

  /** Appends as many of the payloads as fit, whole batch first, then one by one. */
  private async spool(payloads: string[]): Promise<number> {
    try {
      let stored = (await this.options.spool.append(payloads)) ? payloads.length : 0;
      while (stored < payloads.length && (await this.options.spool.append([payloads[stored]]))) {
        stored += 1;
      }
      // Logged once per episode, not on every retry.
      if (stored === 0 && !this.spoolFull) {
        this.logger.error('spool full; events kept in memory', {
          spoolBytes: this.options.spool.bytes,
          maxBytes: this.options.spool.maxBytes,
        });
      }
      this.spoolFull = stored === 0;

      return stored;
    } catch (error) {
      this.logger.error('spool write failed; events kept in memory', {
        error: error instanceof Error ? error.message : String(error),
      });
    }

    return 0;
  }

  /**
   * Counts an event dropped from memory. Logged once when dropping starts and once, with the
   * count, when events are stored again; never per event, and never the event itself.
   */
  private noteDrop(bound: number): void {
    this.counters.dropped += 1;
    this.droppedInEpisode += 1;
    if (this.droppedInEpisode > 1) return;

    this.logger.error('events are being dropped: Redis and the spool are both unavailable', {
      stream: this.options.stream,
      bound,
      droppedTotal: this.counters.dropped,
    });
  }

  private endDropEpisode(): void {
    if (this.droppedInEpisode === 0) return;

    this.logger.error('events were dropped while Redis and the spool were unavailable', {
      stream: this.options.stream,
      dropped: this.droppedInEpisode,
      droppedTotal: this.counters.dropped,
    });
    this.droppedInEpisode = 0;
  }

  private async replay(): Promise<void> {
    if (this.replaying || this.stopped || !this.options.spool.hasData()) return;
    if (this.options.redis.status !== 'ready') return this.retryLater();

    this.replaying = true;
    try {
      const sent = await this.options.spool.drain((payloads) => this.write(payloads));
      this.counters.replayed += sent;
      if (sent > 0) this.logger.info('spooled events replayed', { count: sent });
    } catch (error) {
      this.logger.warn('spool replay interrupted; will retry', {
        error: error instanceof Error ? error.message : String(error),
      });
    } finally {
      this.replaying = false;
    }
    if (this.options.spool.hasData()) this.retryLater();
  }

  private retryLater(): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.kick();
    }, this.options.retryMs ?? 1_000);
  }

  private async write(payloads: string[]): Promise<void> {
    const pipeline = this.options.redis.pipeline();
    for (const payload of payloads) pipeline.xadd(this.options.stream, '*', EVENT_FIELD, payload);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error('stream write timed out')),
        this.options.writeTimeoutMs ?? 2_000,
      );
    });
    try {
      const results = await Promise.race([pipeline.exec(), timeout]);
      const failed = results?.find(([error]) => error !== null)?.[0];
      if (!results || failed) throw failed ?? new Error('pipeline aborted');
    } finally {
      clearTimeout(timer);
    }
  }

  private async waitIdle(): Promise<void> {
    while (this.flushing || this.replaying) await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

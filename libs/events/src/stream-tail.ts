import { AppLogger } from '@xai/common';
import type Redis from 'ioredis';

import { Backoff, pause } from './backoff';
import {
  decodeEntry,
  EventSchema,
  parseEntries,
  parseReadReply,
  StreamEntry,
} from './stream-entry';
import type { StreamLogger } from './stream-logger';

/** What a {@link StreamTail} reads and whom it tells. */
export interface StreamTailOptions<E> {
  /** A connection to duplicate for the blocking reads. */
  redis: Redis;
  /** The stream followed. */
  stream: string;
  /** Validates each event. */
  schema: EventSchema<E>;
  /** Called with every event published after `start()`, in stream order. */
  onEvent: (event: E, entryId: string) => Promise<void> | void;
  /**
   * Called when events may have been missed: after the connection was lost and came back, and
   * when an entry could not be decoded or `onEvent` failed. Whoever caches what the stream
   * invalidates should drop everything here.
   */
  onGap: () => Promise<void> | void;
  /**
   * Called with `true` when the connection is up and `false` when it is lost or a read fails,
   * so a follower can tell when events cannot reach it.
   */
  onConnectionChange?: (connected: boolean) => void;
  /** Entries per read (default 100). */
  batchSize?: number;
  /** How long a read waits for new entries, in ms (default 5 000). */
  blockMs?: number;
  /** Delays between attempts while Redis fails (default 200 ms doubling up to 5 000 ms). */
  redisBackoff?: { initialMs: number; maxMs: number };
  /** Defaults to an `AppLogger` named after this class. */
  logger?: StreamLogger;
}

/**
 * Follows a stream from its tail with plain `XREAD`, without a consumer group, so that every
 * process running a tail sees every event. This is what config-change invalidation needs:
 * a consumer group would hand each entry to one gateway replica only, and the others would keep
 * serving stale config and keys.
 *
 * Nothing is acknowledged and nothing is replayed from before `start()`. Whenever events may
 * have been missed (a reconnect, an undecodable entry, a failing `onEvent`), `onGap` is called.
 */
export class StreamTail<E> {
  private readonly logger: StreamLogger;
  private readonly redisRetries: Backoff;
  private reader?: Redis;
  private loop?: Promise<void>;
  private abort = new AbortController();
  private stopping = false;
  private reading = false;
  private lastId?: string;
  private everReady = false;
  private connectionLost = false;
  private gapDue = false;

  constructor(private readonly options: StreamTailOptions<E>) {
    this.logger = options.logger ?? new AppLogger(StreamTail.name);
    const backoff = options.redisBackoff ?? { initialMs: 200, maxMs: 5_000 };
    this.redisRetries = new Backoff(backoff.initialMs, backoff.maxMs);
  }

  /** Starts following from the stream's current end; a no-op when already started. */
  start(): void {
    if (this.loop) return;

    this.stopping = false;
    this.abort = new AbortController();
    this.lastId = undefined;
    this.everReady = false;
    this.connectionLost = false;
    this.gapDue = false;
    this.reader = this.openReader();
    this.loop = this.run(this.reader);
    this.logger.info('stream tail started', { stream: this.options.stream });
  }

  /** Stops reading; a pending `onEvent` call is awaited and the dedicated connection closed. */
  async stop(): Promise<void> {
    if (!this.loop) return;

    this.stopping = true;
    this.abort.abort();
    if (this.reading) this.closeReader();
    await this.loop;
    this.closeReader();
    this.loop = undefined;
  }

  // Once only: a second `disconnect()` on a closed socket leaves a 2 s ioredis timer behind.
  private closeReader(): void {
    this.reader?.disconnect();
    this.reader = undefined;
  }

  /** Whether the tail was started and is not stopping. */
  isRunning(): boolean {
    return this.loop !== undefined && !this.stopping;
  }

  private openReader(): Redis {
    const reader = this.options.redis.duplicate({
      connectionName: `xai-tail:${this.options.stream}`,
      enableOfflineQueue: true,
      // Without resending, ioredis drops a read in flight when it reconnects at once, and its
      // promise never settles.
      autoResendUnfulfilledCommands: true,
      // A watchdog for a read whose connection died silently; no read blocks longer than blockMs.
      commandTimeout: this.blockMs() + 10_000,
    });
    // Only a connection that was up and came back is a gap; a slow first connect is not.
    reader.on('close', () => {
      if (this.everReady) this.connectionLost = true;
      this.options.onConnectionChange?.(false);
    });
    reader.on('ready', () => {
      if (this.connectionLost) this.gapDue = true;
      this.everReady = true;
      this.connectionLost = false;
      this.options.onConnectionChange?.(true);
    });
    reader.on('error', (error: Error) =>
      this.logger.debug('redis reader error', { error: error.message }),
    );

    return reader;
  }

  private async run(reader: Redis): Promise<void> {
    while (!this.stopping) {
      try {
        if (this.gapDue) await this.reportGap('reconnected');
        await this.deliver(await this.read(reader));
        this.redisRetries.reset();
      } catch (error) {
        if (this.stopping) break;
        this.options.onConnectionChange?.(false);
        this.logger.warn('stream tail read failed; retrying', {
          stream: this.options.stream,
          error: error instanceof Error ? error.message : String(error),
        });
        await pause(this.redisRetries.next(), this.abort.signal);
      }
    }
  }

  private async read(reader: Redis): Promise<StreamEntry[]> {
    this.lastId ??= await this.currentEnd(reader);
    if (this.stopping) return [];

    this.reading = true;
    try {
      const reply = await reader.call(
        'XREAD',
        'COUNT',
        this.options.batchSize ?? 100,
        'BLOCK',
        this.blockMs(),
        'STREAMS',
        this.options.stream,
        this.lastId,
      );

      return parseReadReply(reply);
    } finally {
      this.reading = false;
    }
  }

  /**
   * The id of the stream's newest entry (`0-0` when empty or missing). Reading after it, rather
   * than after `$` each time, means no entry published between two reads is skipped.
   */
  private blockMs(): number {
    return this.options.blockMs ?? 5_000;
  }

  private async currentEnd(reader: Redis): Promise<string> {
    const newest = parseEntries(await reader.xrevrange(this.options.stream, '+', '-', 'COUNT', 1));

    return newest[0]?.id ?? '0-0';
  }

  private async deliver(entries: StreamEntry[]): Promise<void> {
    for (const entry of entries) {
      this.lastId = entry.id;
      await this.deliverOne(entry);
    }
  }

  private async deliverOne(entry: StreamEntry): Promise<void> {
    const decoded = entry.fields ? decodeEntry(this.options.schema, entry.fields) : undefined;
    if (!decoded?.ok) {
      await this.reportGap(decoded?.reason ?? 'entry without fields', entry.id);

      return;
    }
    try {
      await this.options.onEvent(decoded.event, entry.id);
    } catch (error) {
      await this.reportGap(error instanceof Error ? error.message : String(error), entry.id);
    }
  }

  private async reportGap(reason: string, entryId?: string): Promise<void> {
    this.gapDue = false;
    this.logger.warn('events may have been missed; reporting a gap', {
      stream: this.options.stream,
      reason,
      entryId,
    });
    try {
      await this.options.onGap();
    } catch (error) {
      this.logger.error('onGap failed', {
        stream: this.options.stream,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}

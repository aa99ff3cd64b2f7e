import type Redis from 'ioredis';

import type { EventSchema } from './stream-entry';
import type { StreamLogger } from './stream-logger';

/** How a `StreamConsumer` reads, and what it does with each event. */
export interface StreamConsumerOptions<E> {
  /** A connection for commands; it is duplicated for the blocking reads. */
  redis: Redis;
  /** The stream read. */
  stream: string;
  /** The consumer group; every entry goes to one consumer of it. */
  group: string;
  /** This consumer's name, unique among live consumers (e.g. `hostname-pid`). */
  consumer: string;
  /** Validates each event; entries that fail go to the dead-letter stream. */
  schema: EventSchema<E>;
  /** Processes one event. The entry is acknowledged only once this resolves. */
  handle: (event: E, entryId: string) => Promise<void>;
  /**
   * Optional: processes the valid events of one read together (for instance in one database
   * transaction). When set, it is used instead of `handle`; all of them are acknowledged once
   * it resolves. When it rejects, each event is handled on its own with `handle`, so one bad
   * event does not hold up the others: those handled are acknowledged, one whose `handle`
   * throws an `UnrecordableEventError` is dead-lettered, the rest are retried with backoff.
   */
  handleBatch?: (events: { event: E; entryId: string }[]) => Promise<void>;
  /** Entries per read (default 100). */
  batchSize?: number;
  /** How long a read waits for new entries, in ms (default 5 000). */
  blockMs?: number;
  /**
   * After handling a read that was not full, wait this long before the next read, so entries
   * arriving meanwhile are handled together: under load, a few large batches (one transaction
   * and a few round trips each) instead of many small ones. Entries wait at most this much
   * longer; a full read goes on at once, and stopping cuts the wait short. Default 0.
   */
  gatherMs?: number;
  /** Entries pending longer than this with any consumer are taken over (default 30 000 ms). */
  reclaimIdleMs?: number;
  /** How often idle entries are looked for (default half of `reclaimIdleMs`). */
  reclaimIntervalMs?: number;
  /**
   * Trims the stream as it goes (with each look for idle entries): entries every group has
   * acknowledged are removed, never one still pending or not yet delivered. Default false: the
   * stream is left as it is (other readers may tail it).
   */
  trimAcknowledged?: boolean;
  /**
   * Removes other consumers of the group that hold nothing pending and were idle this long
   * (replicas gone for good, their entries reclaimed). Default: never.
   */
  forgetConsumersIdleMs?: number;
  /** Where entries that are not valid events are copied before being acknowledged (default `<stream>:dead`). */
  deadLetterStream?: string;
  /** Delays between retries of failed handles (default 500 ms doubling up to 30 000 ms). */
  retryBackoff?: { initialMs: number; maxMs: number };
  /** Delays between attempts while Redis fails (default 200 ms doubling up to 5 000 ms). */
  redisBackoff?: { initialMs: number; maxMs: number };
  /** Defaults to an `AppLogger` named after this class. */
  logger?: StreamLogger;
}

/** The options with their defaults applied. */
export interface ConsumerSettings {
  batchSize: number;
  blockMs: number;
  gatherMs: number;
  reclaimIdleMs: number;
  reclaimIntervalMs: number;
  deadLetterStream: string;
}

/** Applies the documented defaults. */
export function settingsOf<E>(options: StreamConsumerOptions<E>): ConsumerSettings {
  const reclaimIdleMs = options.reclaimIdleMs ?? 30_000;

  return {
    batchSize: options.batchSize ?? 100,
    blockMs: options.blockMs ?? 5_000,
    gatherMs: options.gatherMs ?? 0,
    reclaimIdleMs,
    reclaimIntervalMs: options.reclaimIntervalMs ?? Math.max(100, reclaimIdleMs / 2),
    deadLetterStream: options.deadLetterStream ?? `${options.stream}:dead`,
  };
}

import type Redis from 'ioredis';

import { parseEntries, parseReadReply, StreamEntry } from './stream-entry';

/** Where a {@link ConsumerGroup} reads and as whom. */
export interface ConsumerGroupAddress {
  stream: string;
  group: string;
  consumer: string;
}

/** Fields a dead-lettered entry carries besides its original ones. */
export const DEAD_LETTER_FIELDS = {
  reason: 'deadReason',
  sourceStream: 'deadSourceStream',
  sourceEntryId: 'deadSourceEntryId',
} as const;

/**
 * The Redis commands of one consumer of one group. Blocking reads go through `reader`, a
 * dedicated connection, so that a read waiting for entries never delays an acknowledgement.
 */
export class ConsumerGroup {
  constructor(
    private readonly redis: Redis,
    private readonly reader: Redis,
    private readonly address: ConsumerGroupAddress,
  ) {}

  /**
   * Creates the group (and the stream) when missing. It starts at the beginning of the stream,
   * so entries published before any consumer existed are still delivered.
   */
  async ensure(): Promise<void> {
    const { stream, group } = this.address;
    try {
      await this.redis.xgroup('CREATE', stream, group, '0', 'MKSTREAM');
    } catch (error) {
      if (!isRedisError(error, 'BUSYGROUP')) throw error;
    }
  }

  /** Up to `count` of this consumer's own pending entries with ids above `after`. */
  async readPending(after: string, count: number): Promise<StreamEntry[]> {
    const { stream, group, consumer } = this.address;
    const reply = await this.reader.call(
      'XREADGROUP',
      'GROUP',
      group,
      consumer,
      'COUNT',
      count,
      'STREAMS',
      stream,
      after,
    );

    return parseReadReply(reply);
  }

  /** Up to `count` entries never delivered to any consumer, waiting up to `blockMs` for them. */
  async readNew(count: number, blockMs: number): Promise<StreamEntry[]> {
    const { stream, group, consumer } = this.address;
    const reply = await this.reader.call(
      'XREADGROUP',
      'GROUP',
      group,
      consumer,
      'COUNT',
      count,
      'BLOCK',
      Math.max(1, Math.round(blockMs)),
      'STREAMS',
      stream,
      '>',
    );

    return parseReadReply(reply);
  }

  /** Acknowledges entries, removing them from the group's pending list. */
  async ack(ids: string[]): Promise<void> {
    if (ids.length === 0) return;

    await this.redis.xack(this.address.stream, this.address.group, ...ids);
  }

  /**
   * Takes over up to `count` entries that have been pending (with any consumer) for longer than
   * `minIdleMs`, scanning the pending list from `start`. `next` is where the following call
   * continues; `0-0` once the whole list was scanned.
   */
  async claimIdle(
    minIdleMs: number,
    start: string,
    count: number,
  ): Promise<{ next: string; entries: StreamEntry[] }> {
    const { stream, group, consumer } = this.address;
    const reply = await this.redis.xautoclaim(
      stream,
      group,
      consumer,
      minIdleMs,
      start,
      'COUNT',
      count,
    );
    const next = typeof reply[0] === 'string' ? reply[0] : '0-0';

    return { next, entries: parseEntries(reply[1]) };
  }

  /**
   * Copies an entry to `deadLetterStream` with the reason it was rejected, and acknowledges it,
   * in one transaction: the entry leaves the group only once its copy exists.
   */
  async deadLetter(entry: StreamEntry, reason: string, deadLetterStream: string): Promise<void> {
    const { stream, group } = this.address;
    const fields = [
      ...(entry.fields ?? []),
      DEAD_LETTER_FIELDS.reason,
      reason,
      DEAD_LETTER_FIELDS.sourceStream,
      stream,
      DEAD_LETTER_FIELDS.sourceEntryId,
      entry.id,
    ];
    const results = await this.redis
      .multi()
      .xadd(deadLetterStream, '*', ...fields)
      .xack(stream, group, entry.id)
      .exec();
    const failure = results?.find(([error]) => error !== null)?.[0];
    if (!results || failure) throw failure ?? new DeadLetterException(entry.id);
  }
}

/** Thrown when the dead-letter transaction was discarded. */
export class DeadLetterException extends Error {
  constructor(readonly entryId: string) {
    super(`dead-lettering entry ${entryId} was aborted`);
    this.name = DeadLetterException.name;
  }
}

/** Whether `error` is a Redis error reply starting with `prefix` (e.g. `NOGROUP`). */
export function isRedisError(error: unknown, prefix: string): boolean {
  return error instanceof Error && error.message.startsWith(prefix);
}

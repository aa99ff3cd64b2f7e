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

  /**
   * Removes the entries every group of the stream has acknowledged: those below the oldest
   * entry still pending with any group, and never one a group has not been handed yet (past
   * its last-delivered id). A stream without a group is left alone. Resolves to how many went.
   */
  async trimAcknowledged(): Promise<number> {
    const { stream } = this.address;
    let floor: StreamId | undefined;
    for (const group of flatRecords(await this.redis.xinfo('GROUPS', stream))) {
      let groupFloor = nextId(parseId(String(group['last-delivered-id'])));
      if (Number(group.pending) > 0) {
        const summary = await this.redis.xpending(stream, String(group.name));
        if (typeof summary[1] === 'string') groupFloor = minId(groupFloor, parseId(summary[1]));
      }
      floor = floor === undefined ? groupFloor : minId(floor, groupFloor);
    }
    if (floor === undefined) return 0;

    return this.redis.xtrim(stream, 'MINID', `${floor.ms}-${floor.seq}`);
  }

  /**
   * Removes consumers of this group that hold no pending entry and have been idle longer than
   * `idleMs` (replicas gone for good, whose entries were reclaimed); never this consumer.
   * Resolves to the names removed.
   */
  async removeIdleConsumers(idleMs: number): Promise<string[]> {
    const { stream, group, consumer } = this.address;
    const removed: string[] = [];
    for (const other of flatRecords(await this.redis.xinfo('CONSUMERS', stream, group))) {
      const name = String(other.name);
      if (name === consumer || Number(other.pending) > 0 || Number(other.idle) < idleMs) continue;
      // DELCONSUMER drops the consumer's pending entries too: only ever with none pending.
      await this.redis.xgroup('DELCONSUMER', stream, group, name);
      removed.push(name);
    }

    return removed;
  }
}

/** A stream entry id, as its two numbers. */
interface StreamId {
  ms: bigint;
  seq: bigint;
}

function parseId(id: string): StreamId {
  const [ms, seq = '0'] = id.split('-');

  return { ms: BigInt(ms), seq: BigInt(seq) };
}

function nextId(id: StreamId): StreamId {
  return { ms: id.ms, seq: id.seq + 1n };
}

function minId(a: StreamId, b: StreamId): StreamId {
  return a.ms < b.ms || (a.ms === b.ms && a.seq <= b.seq) ? a : b;
}

/** An `XINFO` reply (a list of flat `[field, value, …]` lists) as records. */
function flatRecords(reply: unknown): Record<string, unknown>[] {
  if (!Array.isArray(reply)) return [];

  return reply.map((item: unknown) => {
    const record: Record<string, unknown> = {};
    const fields = Array.isArray(item) ? item : [];
    for (let index = 0; index + 1 < fields.length; index += 2) {
      record[String(fields[index])] = fields[index + 1];
    }

    return record;
  });
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

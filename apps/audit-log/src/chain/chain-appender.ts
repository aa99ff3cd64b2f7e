import { Inject, Injectable } from '@nestjs/common';
import { AppLogger } from '@xai/common';
import { DataSource, QueryRunner } from 'typeorm';

import { AUDIT_LOG_SCHEMA } from '../database/audit-log-schema';
import { AUDIT_WRITER_ROLE } from '../database/trail-access';
import { chainHash, GENESIS_HASH } from './chain-encoding';
import { columnsOf, fromDatabase, insertValues, placeholder } from './trail-columns';
import { encodeEntry, TRAIL_TABLE, TrailKind, TrailRow } from './trail-entries';

const S = `"${AUDIT_LOG_SCHEMA}"`;

interface Head {
  seq: number;
  hash: Buffer;
}

/**
 * Appends entries to their tenants' hash chains, a batch per transaction, run as the writer
 * role. For each tenant (in a fixed order, so two writers never deadlock) it locks the chain
 * head, which serialises appends of one tenant while other tenants proceed in parallel; skips
 * entries whose event id is already stored (a redelivery) or repeated in the batch; inserts the
 * rest at the next positions with their hashes; and moves the head. All or nothing: when the
 * transaction fails, no entry of the batch is stored and the batch can simply be retried.
 */
@Injectable()
export class ChainAppender {
  private readonly logger = new AppLogger(ChainAppender.name);
  /** Redeliveries whose content differed from the stored event of the same id. */
  private conflicts = 0;

  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** How many redelivered events differed from what was stored under their id. */
  conflictingRedeliveries(): number {
    return this.conflicts;
  }

  /** Appends one entry; resolves to whether it was new, once it is committed. */
  async append(entry: TrailRow): Promise<boolean> {
    return (await this.appendMany([entry])) === 1;
  }

  /** Appends a batch in one transaction; resolves to how many entries were new. */
  async appendMany(entries: readonly TrailRow[]): Promise<number> {
    if (entries.length === 0) return 0;

    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query(`BEGIN; SET LOCAL ROLE ${AUDIT_WRITER_ROLE}`);
      let inserted = 0;
      for (const [tenantId, tenantEntries] of byTenant(entries)) {
        inserted += await this.appendTenant(runner, tenantId, tenantEntries);
      }
      await runner.query('COMMIT');

      return inserted;
    } catch (error) {
      await runner.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  private async appendTenant(
    runner: QueryRunner,
    tenantId: string,
    entries: TrailRow[],
  ): Promise<number> {
    const head = await this.lockHead(runner, tenantId);
    // Read under the head lock: a concurrent writer of the same events has committed by now.
    const fresh = await this.withoutStored(runner, entries);
    for (const entry of fresh) {
      const seq = head.seq + 1;
      const hash = chainHash(head.hash, encodeEntry(entry, seq));
      await this.insert(runner, entry, seq, head.hash, hash);
      head.seq = seq;
      head.hash = hash;
    }
    if (fresh.length > 0) {
      await runner.query(
        `UPDATE ${S}."chain_heads" SET "seq" = $2, "hash" = $3, "updated_at" = now()
         WHERE "tenant_id" = $1`,
        [tenantId, head.seq, head.hash],
      );
    }

    return fresh.length;
  }

  private async lockHead(runner: QueryRunner, tenantId: string): Promise<Head> {
    const select = `SELECT "seq", "hash" FROM ${S}."chain_heads" WHERE "tenant_id" = $1 FOR UPDATE`;
    let rows = (await runner.query(select, [tenantId])) as { seq: string; hash: Buffer }[];
    if (rows.length === 0) {
      await runner.query(
        `INSERT INTO ${S}."chain_heads" ("tenant_id", "seq", "hash") VALUES ($1, 0, $2)
         ON CONFLICT ("tenant_id") DO NOTHING`,
        [tenantId, GENESIS_HASH],
      );
      rows = (await runner.query(select, [tenantId])) as { seq: string; hash: Buffer }[];
    }

    return { seq: Number(rows[0].seq), hash: rows[0].hash };
  }

  /** The entries not stored yet, each event id once, in their order. */
  private async withoutStored(runner: QueryRunner, entries: TrailRow[]): Promise<TrailRow[]> {
    const stored = new Set<string>();
    for (const kind of new Set(entries.map((entry) => entry.kind))) {
      const ids = entries.filter((entry) => entry.kind === kind).map((entry) => entry.row.eventId);
      const rows = (await runner.query(
        `SELECT * FROM ${S}."${TRAIL_TABLE[kind]}" WHERE "event_id" = ANY($1::uuid[])`,
        [ids],
      )) as Record<string, unknown>[];
      for (const row of rows) {
        stored.add(String(row.event_id));
        this.noteConflict(kind, row, entries);
      }
    }

    return entries.filter((entry) => {
      if (stored.has(entry.row.eventId)) return false;
      stored.add(entry.row.eventId);

      return true;
    });
  }

  /**
   * Warns (and counts) when a redelivered event differs from the one stored under its id:
   * either a producer reused an id or the stream carried an altered copy. The stored one stays.
   * Only ids, kinds and tenants are logged, never the content.
   */
  private noteConflict(kind: TrailKind, raw: Record<string, unknown>, entries: TrailRow[]): void {
    const incoming = entries.find(
      (entry) => entry.kind === kind && entry.row.eventId === String(raw.event_id),
    );
    if (!incoming) return;
    const stored = fromDatabase(kind, raw);
    const seq = Number(raw.chain_seq);
    // The cost is fixed when first recorded; a price changed since is not a conflict.
    const comparable = { ...incoming, row: { ...incoming.row, ...pricingOf(stored) } } as TrailRow;
    if (encodeEntry(comparable, seq).equals(encodeEntry(stored, seq))) return;

    this.conflicts += 1;
    this.logger.warn(
      'an event id already stored came again with different content; kept the stored one',
      {
        eventId: incoming.row.eventId,
        kind,
        storedTenantId: stored.row.tenantId,
        incomingTenantId: incoming.row.tenantId,
        conflictingRedeliveries: this.conflicts,
      },
    );
  }

  private async insert(
    runner: QueryRunner,
    entry: TrailRow,
    seq: number,
    prevHash: Buffer,
    hash: Buffer,
  ): Promise<void> {
    const columns = columnsOf(entry.kind);
    const names = [...columns.map(([name]) => name), 'chain_seq', 'prev_hash', 'row_hash'];
    const placeholders = [
      ...columns.map(([, , type], index) => placeholder(type, index + 1)),
      ...[1, 2, 3].map((offset) => `$${columns.length + offset}`),
    ];
    const insert = `INSERT INTO ${S}."${TRAIL_TABLE[entry.kind]}"
      (${names.map((name) => `"${name}"`).join(', ')}) VALUES (${placeholders.join(', ')})`;
    // A request is marked for the usage rollup in the same statement, so in the same commit.
    const sql = markedForRollup(entry.kind)
      ? `WITH ins AS (${insert} RETURNING "event_id")
         INSERT INTO ${S}."rollup_pending" ("event_id") SELECT "event_id" FROM ins`
      : insert;
    await runner.query(sql, [...insertValues(entry), seq, prevHash, hash]);
  }
}

function pricingOf(entry: TrailRow): object {
  return entry.kind === 'request'
    ? { costUsd: entry.row.costUsd, priceSource: entry.row.priceSource }
    : {};
}

function markedForRollup(kind: TrailKind): boolean {
  return kind === 'request';
}

/** Entries grouped by tenant, tenants in sorted order (the lock order). */
function byTenant(entries: readonly TrailRow[]): [string, TrailRow[]][] {
  const groups = new Map<string, TrailRow[]>();
  for (const entry of entries) {
    const group = groups.get(entry.row.tenantId) ?? [];
    group.push(entry);
    groups.set(entry.row.tenantId, group);
  }

  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

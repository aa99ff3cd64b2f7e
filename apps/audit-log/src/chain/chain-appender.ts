import { Inject, Injectable, Optional } from '@nestjs/common';
import { AppLogger } from '@xai/common';
import { DataSource, QueryRunner } from 'typeorm';

import { AUDIT_LOG_SCHEMA } from '../database/audit-log-schema';
import { sqlState } from '../database/sql-state';
import { AUDIT_WRITER_ROLE } from '../database/trail-access';
import { chainHash, GENESIS_HASH } from './chain-encoding';
import { ChainedEntry, fromDatabase } from './trail-columns';
import { encodeEntry, TRAIL_TABLE, TrailKind, TrailRow } from './trail-entries';
import { BULK_LOAD, BulkLoad, loadEntries, readBulkLoad } from './trail-load';

const S = `"${AUDIT_LOG_SCHEMA}"`;

const TRAIL_KINDS = Object.keys(TRAIL_TABLE) as TrailKind[];

/** PostgreSQL's unique_violation: an event id stored meanwhile by another writer. */
const UNIQUE_VIOLATION = '23505';

const LOCK_HEAD_SQL = `SELECT "seq", "hash" FROM ${S}."chain_heads" WHERE "tenant_id" = $1 FOR UPDATE`;

/**
 * After the entries are loaded: marks the requests among them ($2, event ids) for the usage
 * rollup and moves the chain head ($1 tenant, $3 seq, $4 hash), in one round trip.
 */
const MARK_AND_MOVE_HEAD_SQL = `WITH "rollup" AS (
    INSERT INTO ${S}."rollup_pending" ("event_id") SELECT unnest($2::uuid[]))
  UPDATE ${S}."chain_heads" SET "seq" = $3, "hash" = $4, "updated_at" = now()
  WHERE "tenant_id" = $1`;

interface Head {
  seq: number;
  hash: Buffer;
}

interface HeadRow {
  seq: string;
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

  private bulkLoad?: Promise<BulkLoad>;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Optional() @Inject(BULK_LOAD) bulkLoad?: BulkLoad,
  ) {
    if (bulkLoad) this.bulkLoad = Promise.resolve(bulkLoad);
  }

  /** How many redelivered events differed from what was stored under their id. */
  conflictingRedeliveries(): number {
    return this.conflicts;
  }

  /** Appends one entry; resolves to whether it was new, once it is committed. */
  async append(entry: TrailRow): Promise<boolean> {
    return (await this.appendMany([entry])) === 1;
  }

  /**
   * Appends a batch in one transaction; resolves to how many entries were new. Redeliveries are
   * rare (after a crash, a reclaim or a spool replay), so the first attempt does not look for
   * stored event ids: an entry stored already hits its event id's key, the transaction fails
   * whole, and a second attempt looks for them after taking each head lock, and skips them.
   */
  async appendMany(entries: readonly TrailRow[]): Promise<number> {
    if (entries.length === 0) return 0;

    try {
      return await this.appendInTransaction(entries, false);
    } catch (error) {
      if (sqlState(error) !== UNIQUE_VIOLATION) throw error;

      return this.appendInTransaction(entries, true);
    }
  }

  /**
   * `lookForStored` reads which entries are stored already under the head lock, exact even
   * when another writer appends the same events at the same time.
   */
  private async appendInTransaction(
    entries: readonly TrailRow[],
    lookForStored: boolean,
  ): Promise<number> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query(`BEGIN; SET LOCAL ROLE ${AUDIT_WRITER_ROLE}`);
      let inserted = 0;
      for (const [tenantId, tenantEntries] of byTenant(entries)) {
        inserted += await this.appendTenant(runner, tenantId, tenantEntries, lookForStored);
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
    lookForStored: boolean,
  ): Promise<number> {
    const head = await this.lockHead(runner, tenantId);
    // Read under the head lock: a concurrent writer of the same events has committed by now.
    const stored = new Set(lookForStored ? await this.storedIds(runner, entries) : []);
    if (stored.size > 0) await this.noteConflicts(runner, entries, stored);
    const fresh = withoutStored(entries, stored);
    if (fresh.length === 0) return 0;

    const chained: ChainedEntry[] = [];
    for (const entry of fresh) {
      const seq = head.seq + 1;
      const hash = chainHash(head.hash, encodeEntry(entry, seq));
      chained.push({ entry, seq, prevHash: head.hash, hash });
      head.seq = seq;
      head.hash = hash;
    }
    const load = await this.load(runner);
    for (const kind of TRAIL_KINDS) {
      const ofKind = chained.filter((item) => item.entry.kind === kind);
      if (ofKind.length === 0) continue;
      await loadEntries(runner, load, kind, ofKind);
    }
    const requestIds = fresh.filter((entry) => entry.kind === 'request').map(eventIdOf);
    await runner.query(MARK_AND_MOVE_HEAD_SQL, [tenantId, requestIds, head.seq, head.hash]);

    return fresh.length;
  }

  /**
   * How this database takes a batch, read from its version once, on the transaction's own
   * connection (PGlite serves one session at a time: another connection would wait for this
   * transaction to end).
   */
  private load(runner: QueryRunner): Promise<BulkLoad> {
    if (!this.bulkLoad) {
      const reading = readBulkLoad(runner);
      // A failed read is read again with the next batch (this one fails with it).
      reading.catch(() => {
        if (this.bulkLoad === reading) this.bulkLoad = undefined;
      });
      this.bulkLoad = reading;
    }

    return this.bulkLoad;
  }

  /** Locks the tenant's chain head (made at genesis if new) and reads it. */
  private async lockHead(runner: QueryRunner, tenantId: string): Promise<Head> {
    const lock = async (): Promise<HeadRow[]> =>
      (await runner.query(LOCK_HEAD_SQL, [tenantId])) as HeadRow[];
    let rows = await lock();
    if (rows.length === 0) {
      await runner.query(
        `INSERT INTO ${S}."chain_heads" ("tenant_id", "seq", "hash") VALUES ($1, 0, $2)
         ON CONFLICT ("tenant_id") DO NOTHING`,
        [tenantId, GENESIS_HASH],
      );
      rows = await lock();
    }

    return { seq: Number(rows[0].seq), hash: rows[0].hash };
  }

  /** Which of the entries are stored already, as `kind:id`. */
  private async storedIds(runner: QueryRunner, entries: readonly TrailRow[]): Promise<string[]> {
    const ids: string[] = [];
    for (const kind of TRAIL_KINDS) {
      const ofKind = idsOf(entries, kind);
      if (ofKind.length === 0) continue;
      const rows = (await runner.query(
        `SELECT "event_id" FROM ${S}."${TRAIL_TABLE[kind]}" WHERE "event_id" = ANY($1::uuid[])`,
        [ofKind],
      )) as { event_id: string }[];
      ids.push(...rows.map((row) => storedKey(kind, row.event_id)));
    }

    return ids;
  }

  /** Compares each redelivered entry with the stored one of its id (a rare path). */
  private async noteConflicts(
    runner: QueryRunner,
    entries: readonly TrailRow[],
    stored: ReadonlySet<string>,
  ): Promise<void> {
    for (const kind of TRAIL_KINDS) {
      const ids = idsOf(entries, kind).filter((id) => stored.has(storedKey(kind, id)));
      if (ids.length === 0) continue;
      const rows = (await runner.query(
        `SELECT * FROM ${S}."${TRAIL_TABLE[kind]}" WHERE "event_id" = ANY($1::uuid[])`,
        [ids],
      )) as Record<string, unknown>[];
      for (const row of rows) this.noteConflict(kind, row, entries);
    }
  }

  /**
   * Warns (and counts) when a redelivered event differs from the one stored under its id:
   * either a producer reused an id or the stream carried an altered copy. The stored one stays.
   * Only ids, kinds and tenants are logged, never the content.
   */
  private noteConflict(
    kind: TrailKind,
    raw: Record<string, unknown>,
    entries: readonly TrailRow[],
  ): void {
    const incoming = entries.find(
      (entry) =>
        entry.kind === kind &&
        storedKey(kind, entry.row.eventId) === storedKey(kind, String(raw.event_id)),
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
}

function pricingOf(entry: TrailRow): object {
  return entry.kind === 'request'
    ? { costUsd: entry.row.costUsd, priceSource: entry.row.priceSource }
    : {};
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

/** The entries not stored yet, each event id once (per kind), in their order. */
function withoutStored(entries: readonly TrailRow[], stored: ReadonlySet<string>): TrailRow[] {
  const seen = new Set(stored);

  return entries.filter((entry) => {
    const key = storedKey(entry.kind, entry.row.eventId);
    if (seen.has(key)) return false;
    seen.add(key);

    return true;
  });
}

function idsOf(entries: readonly TrailRow[], kind: TrailKind): string[] {
  return entries.filter((entry) => entry.kind === kind).map((entry) => entry.row.eventId);
}

/** PostgreSQL prints a uuid in lower case; an event may carry one in upper case. */
function storedKey(kind: TrailKind, eventId: string): string {
  return `${kind}:${eventId.toLowerCase()}`;
}

function eventIdOf(entry: TrailRow): string {
  return entry.row.eventId;
}

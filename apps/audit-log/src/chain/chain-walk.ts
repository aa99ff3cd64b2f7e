import type { BrokenLink } from '@xai/contracts';

import { AUDIT_LOG_SCHEMA } from '../database/audit-log-schema';
import { chainHash, GENESIS_HASH } from './chain-encoding';
import { fromDatabase } from './trail-columns';
import { encodeEntry, TRAIL_TABLE, TrailKind } from './trail-entries';

const S = `"${AUDIT_LOG_SCHEMA}"`;
const KINDS = Object.keys(TRAIL_TABLE) as TrailKind[];
/** Positions read per round trip while walking a chain. */
const WINDOW = 5_000;

/** Runs one SQL statement: a DataSource's or a transaction's `query`. */
export type SqlQuery = <T>(sql: string, parameters?: unknown[]) => Promise<T>;

/** A position of a chain and the hash of the entry there (the genesis hash at 0). */
export interface ChainPoint {
  seq: number;
  hash: Buffer;
}

/** Where a walk starts: the genesis, a retention checkpoint or the last verified position. */
export type AnchorKind = 'genesis' | 'retention_checkpoint' | 'verified_mark';

/** A broken link of one tenant's chain (the tenant is added by the caller). */
export type Break = Omit<BrokenLink, 'tenantId'>;

/** The chain's origin: the anchor a full walk starts from, or why there is none. */
export type Origin = { point: ChainPoint; kind: AnchorKind } | { broken: Break };

/** What a walk found: how far the chain holds, how many entries it checked, the first break. */
export interface WalkResult {
  reached: ChainPoint;
  checked: number;
  broken?: Break;
}

/** One stored entry, with what is needed to check it. */
export interface StoredEntry {
  kind: TrailKind;
  seq: number;
  eventId: string;
  prevHash: Buffer;
  rowHash: Buffer;
  computed: (previous: Buffer) => Buffer;
}

/**
 * Where a tenant's chain must start, from the rows that still exist: at the genesis when
 * position 1 is still there; otherwise at the retention checkpoint just below the oldest row
 * left (a checkpoint is an anchor only where retention deleted the rows before it). No such
 * checkpoint means rows were removed without retention: the first missing position is named.
 * A checkpoint past the head cannot have been written by retention and is reported.
 */
export function chainOrigin(
  checkpoints: readonly ChainPoint[],
  oldestSeq: number,
  headSeq: number,
): Origin {
  const ahead = checkpoints.find((checkpoint) => checkpoint.seq > headSeq);
  if (ahead) return { broken: breakAt(ahead.seq, 'checkpoint_mismatch') };
  if (oldestSeq === 1) return { point: { seq: 0, hash: GENESIS_HASH }, kind: 'genesis' };

  const newest = checkpoints[checkpoints.length - 1];
  if (oldestSeq === 0) {
    // No row left: everything was removed by retention (or nothing was ever appended).
    return newest
      ? { point: newest, kind: 'retention_checkpoint' }
      : { point: { seq: 0, hash: GENESIS_HASH }, kind: 'genesis' };
  }
  const anchor = checkpoints.find((checkpoint) => checkpoint.seq === oldestSeq - 1);
  if (anchor) return { point: anchor, kind: 'retention_checkpoint' };
  const below = checkpoints.filter((checkpoint) => checkpoint.seq < oldestSeq).pop();

  return { broken: breakAt((below?.seq ?? 0) + 1, 'missing_entry') };
}

/**
 * Walks a tenant's chain from `start` to `last`, recomputing every entry's hash from its
 * stored columns, and stops at the first link that does not hold: a missing position, a second
 * entry at a position (`duplicate_entry`), an entry that does not follow the one before it, an
 * entry whose content no longer matches its hash, or an entry whose hash differs from a
 * retention checkpoint at its position. `onProgress` is called after each window with the
 * position reached, so a long walk can persist its progress.
 */
export async function walkChain(
  query: SqlQuery,
  tenantId: string,
  start: ChainPoint,
  last: number,
  options: {
    checkpoints?: readonly ChainPoint[];
    onProgress?: (reached: ChainPoint) => Promise<void>;
  } = {},
): Promise<WalkResult> {
  const checkpoints = new Map((options.checkpoints ?? []).map((c) => [c.seq, c.hash]));
  let expected = start.seq + 1;
  let previous = start.hash;
  const result = (broken?: Break): WalkResult => ({
    reached: { seq: expected - 1, hash: previous },
    checked: expected - start.seq - 1,
    broken,
  });
  const windowAt = (from: number) => {
    const read = readWindow(query, tenantId, from, Math.min(from + WINDOW, last + 1));
    read.catch(() => undefined); // awaited below, unless the walk stopped before it

    return read;
  };
  let next = expected <= last ? windowAt(expected) : undefined;
  for (let from = expected; from <= last; from += WINDOW) {
    const to = Math.min(from + WINDOW, last + 1);
    const entries = await (next ?? windowAt(from));
    // The next window is read while this one is hashed.
    next = to <= last ? windowAt(to) : undefined;
    for (const entry of entries) {
      const broken = checkEntry(entry, { seq: expected, hash: previous }, checkpoints);
      if (broken) return result(broken);
      previous = entry.rowHash;
      expected += 1;
    }
    if (expected < to) return result(breakAt(expected, 'missing_entry'));
    await options.onProgress?.({ seq: expected - 1, hash: previous });
  }

  return result();
}

/** Why `entry` does not hold where `expected` (the position due, the hash before it) says. */
function checkEntry(
  entry: StoredEntry,
  expected: ChainPoint,
  checkpoints: ReadonlyMap<number, Buffer>,
): Break | undefined {
  if (entry.seq < expected.seq) return breakAt(entry.seq, 'duplicate_entry', entry);
  if (entry.seq !== expected.seq) return breakAt(expected.seq, 'missing_entry');
  if (!entry.prevHash.equals(expected.hash)) {
    return breakAt(entry.seq, 'prev_hash_mismatch', entry);
  }
  if (!entry.computed(expected.hash).equals(entry.rowHash)) {
    return breakAt(entry.seq, 'hash_mismatch', entry);
  }
  const checkpoint = checkpoints.get(entry.seq);
  if (checkpoint && !checkpoint.equals(entry.rowHash)) {
    return breakAt(entry.seq, 'checkpoint_mismatch', entry);
  }

  return undefined;
}

/** The tenant's entries with positions in [from, to), of every kind, in chain order. */
export async function readWindow(
  query: SqlQuery,
  tenantId: string,
  from: number,
  to: number,
): Promise<StoredEntry[]> {
  const entries: StoredEntry[] = [];
  for (const kind of KINDS) {
    const rows = await query<Record<string, unknown>[]>(
      `SELECT * FROM ${S}."${TRAIL_TABLE[kind]}"
       WHERE "tenant_id" = $1 AND "chain_seq" >= $2 AND "chain_seq" < $3`,
      [tenantId, from, to],
    );
    for (const raw of rows) entries.push(storedEntry(kind, raw));
  }

  return entries.sort((a, b) => a.seq - b.seq);
}

/** The tenant's retention checkpoints, oldest first. */
export async function readCheckpoints(query: SqlQuery, tenantId: string): Promise<ChainPoint[]> {
  const rows = await query<{ seq: string; hash: Buffer }[]>(
    `SELECT "seq", "hash" FROM ${S}."chain_checkpoints" WHERE "tenant_id" = $1 ORDER BY "seq"`,
    [tenantId],
  );

  return rows.map((row) => ({ seq: Number(row.seq), hash: row.hash }));
}

/** The lowest and highest positions stored for the tenant (0 and 0 when none is). */
export async function storedRange(
  query: SqlQuery,
  tenantId: string,
): Promise<{ oldest: number; newest: number }> {
  const parts = KINDS.map(
    (kind) =>
      `SELECT min("chain_seq") AS lo, max("chain_seq") AS hi FROM ${S}."${TRAIL_TABLE[kind]}"
       WHERE "tenant_id" = $1`,
  );
  const rows = await query<{ lo: string; hi: string }[]>(
    `SELECT coalesce(min(lo), 0) AS "lo", coalesce(max(hi), 0) AS "hi"
     FROM (${parts.join(' UNION ALL ')}) AS t`,
    [tenantId],
  );

  return { oldest: Number(rows[0].lo), newest: Number(rows[0].hi) };
}

/** The break to report at `seq`, naming the entry found there when there is one. */
export function breakAt(seq: number, reason: string, entry?: StoredEntry): Break {
  return { seq, eventId: entry?.eventId ?? '', kind: entry?.kind ?? '', reason };
}

function storedEntry(kind: TrailKind, raw: Record<string, unknown>): StoredEntry {
  const seq = Number(raw.chain_seq);
  const entry = fromDatabase(kind, raw);

  return {
    kind,
    seq,
    eventId: String(raw.event_id),
    prevHash: raw.prev_hash as Buffer,
    rowHash: raw.row_hash as Buffer,
    computed: (previous) => chainHash(previous, encodeEntry(entry, seq)),
  };
}

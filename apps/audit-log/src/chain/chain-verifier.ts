import { Inject, Injectable } from '@nestjs/common';
import type { BrokenLink, ChainHead, VerifyAuditResponse } from '@xai/contracts';
import { DataSource } from 'typeorm';

import { AUDIT_LOG_SCHEMA } from '../database/audit-log-schema';
import { chainHash, GENESIS_HASH } from './chain-encoding';
import { fromDatabase } from './trail-columns';
import { encodeEntry, TRAIL_TABLE, TrailKind } from './trail-entries';

const S = `"${AUDIT_LOG_SCHEMA}"`;
const KINDS = Object.keys(TRAIL_TABLE) as TrailKind[];
/** Positions read per round trip while walking a chain. */
const WINDOW = 5_000;

interface StoredEntry {
  kind: TrailKind;
  seq: number;
  eventId: string;
  prevHash: Buffer;
  rowHash: Buffer;
  computed: (previous: Buffer) => Buffer;
}

/** What verifying one tenant found. */
interface TenantVerdict {
  checked: number;
  broken?: BrokenLink;
  head: ChainHead;
}

/**
 * Walks each tenant's chain from its start (or from the checkpoint retention left) to its
 * head, recomputing every entry's hash from its stored columns, and reports the first link
 * that does not hold: an entry whose content no longer matches its hash, one that does not
 * follow the entry before it, a missing position, or a head that does not match the last entry.
 */
@Injectable()
export class ChainVerifier {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Verifies one tenant, or every tenant when `tenantId` is empty. */
  async verify(tenantId?: string): Promise<VerifyAuditResponse> {
    const tenants = tenantId ? [tenantId] : await this.tenants();
    const response: VerifyAuditResponse = {
      ok: true,
      tenantsChecked: 0,
      entriesChecked: 0,
      firstBroken: null,
      heads: [],
    };
    for (const tenant of tenants) {
      const verdict = await this.verifyTenant(tenant);
      response.tenantsChecked += 1;
      response.entriesChecked += verdict.checked;
      response.heads.push(verdict.head);
      if (verdict.broken && response.ok) {
        response.ok = false;
        response.firstBroken = verdict.broken;
      }
    }

    return response;
  }

  /** Every tenant with a head or with any entry (a deleted head must not hide a chain). */
  private async tenants(): Promise<string[]> {
    const sources = [
      `SELECT "tenant_id" FROM ${S}."chain_heads"`,
      ...KINDS.map((kind) => `SELECT DISTINCT "tenant_id" FROM ${S}."${TRAIL_TABLE[kind]}"`),
    ];
    const rows = await this.dataSource.query<{ tenant_id: string }[]>(
      `SELECT "tenant_id" FROM (${sources.join(' UNION ')}) AS t ORDER BY "tenant_id"`,
    );

    return rows.map((row) => row.tenant_id);
  }

  private async verifyTenant(tenantId: string): Promise<TenantVerdict> {
    const anchor = await this.anchor(tenantId);
    const head = await this.head(tenantId);
    const last = Math.max(head.seq, await this.maxSeq(tenantId));
    let expected = anchor.seq + 1;
    let previous = anchor.hash;
    const broken = (seq: number, reason: string, entry?: StoredEntry): TenantVerdict => ({
      checked: expected - anchor.seq - 1,
      broken: { tenantId, seq, eventId: entry?.eventId ?? '', kind: entry?.kind ?? '', reason },
      head: { tenantId, seq: head.seq, hash: head.hash.toString('hex') },
    });
    for (let from = expected; from <= last; from += WINDOW) {
      for (const entry of await this.window(tenantId, from, from + WINDOW)) {
        if (entry.seq !== expected) return broken(expected, 'missing_entry');
        if (!entry.prevHash.equals(previous)) return broken(entry.seq, 'prev_hash_mismatch', entry);
        if (!entry.computed(previous).equals(entry.rowHash)) {
          return broken(entry.seq, 'hash_mismatch', entry);
        }
        previous = entry.rowHash;
        expected += 1;
      }
      if (expected <= Math.min(from + WINDOW - 1, last)) return broken(expected, 'missing_entry');
    }
    if (expected - 1 !== head.seq || !previous.equals(head.hash)) {
      return broken(head.seq, 'head_mismatch');
    }

    return {
      checked: expected - anchor.seq - 1,
      head: { tenantId, seq: head.seq, hash: head.hash.toString('hex') },
    };
  }

  /** Where the chain starts: the last retention checkpoint, else the genesis. */
  private async anchor(tenantId: string): Promise<{ seq: number; hash: Buffer }> {
    const rows = await this.dataSource.query<{ seq: string; hash: Buffer }[]>(
      `SELECT "seq", "hash" FROM ${S}."chain_checkpoints" WHERE "tenant_id" = $1
       ORDER BY "seq" DESC LIMIT 1`,
      [tenantId],
    );

    return rows[0]
      ? { seq: Number(rows[0].seq), hash: rows[0].hash }
      : { seq: 0, hash: GENESIS_HASH };
  }

  private async head(tenantId: string): Promise<{ seq: number; hash: Buffer }> {
    const rows = await this.dataSource.query<{ seq: string; hash: Buffer }[]>(
      `SELECT "seq", "hash" FROM ${S}."chain_heads" WHERE "tenant_id" = $1`,
      [tenantId],
    );

    return rows[0]
      ? { seq: Number(rows[0].seq), hash: rows[0].hash }
      : { seq: 0, hash: GENESIS_HASH };
  }

  private async maxSeq(tenantId: string): Promise<number> {
    const parts = KINDS.map(
      (kind) =>
        `SELECT max("chain_seq") AS m FROM ${S}."${TRAIL_TABLE[kind]}" WHERE "tenant_id" = $1`,
    );
    const rows = await this.dataSource.query<{ max: string }[]>(
      `SELECT coalesce(max(m), 0) AS "max" FROM (${parts.join(' UNION ALL ')}) AS t`,
      [tenantId],
    );

    return Number(rows[0].max);
  }

  /** The tenant's entries with positions in [from, to), of every kind, in chain order. */
  private async window(tenantId: string, from: number, to: number): Promise<StoredEntry[]> {
    const entries: StoredEntry[] = [];
    for (const kind of KINDS) {
      const rows = await this.dataSource.query<Record<string, unknown>[]>(
        `SELECT * FROM ${S}."${TRAIL_TABLE[kind]}"
         WHERE "tenant_id" = $1 AND "chain_seq" >= $2 AND "chain_seq" < $3`,
        [tenantId, from, to],
      );
      for (const raw of rows) entries.push(storedEntry(kind, raw));
    }

    return entries.sort((a, b) => a.seq - b.seq);
  }
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

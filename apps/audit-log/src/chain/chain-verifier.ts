import { Inject, Injectable } from '@nestjs/common';
import { AppLogger } from '@xai/common';
import type { BrokenLink, ChainHead, VerifyAuditResponse } from '@xai/contracts';
import { DataSource } from 'typeorm';

import { AUDIT_LOG_SCHEMA } from '../database/audit-log-schema';
import { GENESIS_HASH } from './chain-encoding';
import {
  AnchorKind,
  Break,
  breakAt,
  ChainPoint,
  chainOrigin,
  readCheckpoints,
  readWindow,
  SqlQuery,
  storedRange,
  walkChain,
} from './chain-walk';
import { TRAIL_TABLE, TrailKind } from './trail-entries';

const S = `"${AUDIT_LOG_SCHEMA}"`;
const KINDS = Object.keys(TRAIL_TABLE) as TrailKind[];

/** What verifying one tenant found. */
interface TenantVerdict {
  checked: number;
  broken?: BrokenLink;
  head: ChainHead;
}

/** How to verify. */
export interface VerifyOptions {
  /** Walk from each chain's start rather than from its last verified position. */
  full?: boolean;
}

/**
 * Walks each tenant's chain to its head, recomputing every entry's hash from its stored
 * columns, and reports the first link that does not hold (see {@link walkChain}), or a head
 * that does not match the last entry.
 *
 * Where the walk starts: the chain's origin is the genesis while position 1 still exists, else
 * the retention checkpoint just below the oldest row left ({@link chainOrigin}), so rows still
 * present below a checkpoint are always checked. A walk that verified the chain leaves a mark
 * (position and hash, in `chain_verified`); unless `full` is asked, the next check starts from
 * it after re-checking that the entry at the mark still has that hash and still hashes to it,
 * and that the number of entries up to it is right (a removed or added row shows). An edited
 * row below the mark is found by a full check only. Each head in the answer says which anchor
 * its check started from.
 */
@Injectable()
export class ChainVerifier {
  private readonly logger = new AppLogger(ChainVerifier.name);
  private readonly query: SqlQuery;

  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {
    this.query = <T>(sql: string, parameters?: unknown[]) =>
      this.dataSource.query<T>(sql, parameters);
  }

  /** Verifies one tenant, or every tenant when `tenantId` is empty. */
  async verify(tenantId?: string, options: VerifyOptions = {}): Promise<VerifyAuditResponse> {
    const tenants = tenantId ? [tenantId] : await this.tenants();
    const response: VerifyAuditResponse = {
      ok: true,
      tenantsChecked: 0,
      entriesChecked: 0,
      firstBroken: null,
      heads: [],
    };
    for (const tenant of tenants) {
      const verdict = await this.verifyTenant(tenant, options.full === true);
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

  private async verifyTenant(tenantId: string, full: boolean): Promise<TenantVerdict> {
    // The stored range before the head: every entry up to the head read next exists by then.
    const range = await storedRange(this.query, tenantId);
    const head = await this.head(tenantId);
    const last = Math.max(head.seq, range.newest);
    const checkpoints = await readCheckpoints(this.query, tenantId);
    const origin = chainOrigin(checkpoints, range.oldest, head.seq);
    const verdict = (
      anchor: ChainPoint & { kind: AnchorKind },
      checked: number,
      broken?: Break,
    ) => ({
      checked,
      broken: broken && { tenantId, ...broken },
      head: {
        tenantId,
        seq: head.seq,
        hash: head.hash.toString('hex'),
        anchor: anchor.kind,
        anchorSeq: anchor.seq,
      },
    });
    if ('broken' in origin) return verdict({ ...GENESIS, kind: 'genesis' }, 0, origin.broken);

    const originAnchor = { ...origin.point, kind: origin.kind };
    const mark = full ? undefined : await this.markToResume(tenantId, origin.point.seq, last);
    const anchor = mark?.holds ? { ...mark.point, kind: 'verified_mark' as const } : originAnchor;
    const walk = await walkChain(this.query, tenantId, anchor, last, {
      checkpoints,
      // A mark that no longer holds is kept until the rewrite it shows has been looked into.
      onProgress: mark && !mark.holds ? undefined : (reached) => this.saveMark(tenantId, reached),
    });
    if (walk.broken) return verdict(anchor, walk.checked, walk.broken);
    if (mark && !mark.holds) {
      // The chain verifies from its origin, yet the entry a previous check verified changed:
      // the chain was rewritten since.
      return verdict(anchor, walk.checked, mark.broken);
    }
    if (walk.reached.seq !== head.seq || !walk.reached.hash.equals(head.hash)) {
      // An entry past the head was added behind the appender's back; else the head changed.
      const at = walk.reached.seq > head.seq ? head.seq + 1 : head.seq;
      const [entry] = await readWindow(this.query, tenantId, at, at + 1);

      return verdict(anchor, walk.checked, breakAt(at, 'head_mismatch', entry));
    }

    return verdict(anchor, walk.checked);
  }

  /**
   * The position a previous check verified, if it lies past the origin and within the chain,
   * and whether it still holds: the entry there has the hash recorded with the mark and hashes
   * to it from its stored columns.
   */
  private async markToResume(
    tenantId: string,
    originSeq: number,
    last: number,
  ): Promise<{ point: ChainPoint; holds: boolean; broken: Break } | undefined> {
    const rows = await this.query<{ seq: string; hash: Buffer }[]>(
      `SELECT "seq", "hash" FROM ${S}."chain_verified" WHERE "tenant_id" = $1`,
      [tenantId],
    );
    if (!rows[0]) return undefined;
    const point = { seq: Number(rows[0].seq), hash: rows[0].hash };
    if (point.seq <= originSeq || point.seq > last) return undefined;

    const entries = await readWindow(this.query, tenantId, point.seq, point.seq + 1);
    const [entry] = entries;
    // Counted over the index: a row removed or added below the mark shows without reading it.
    const holds =
      entries.length === 1 &&
      entry.rowHash.equals(point.hash) &&
      entry.computed(entry.prevHash).equals(entry.rowHash) &&
      (await this.countBetween(tenantId, originSeq, point.seq)) === point.seq - originSeq;

    return { point, holds, broken: breakAt(point.seq, 'verified_mark_mismatch', entry) };
  }

  /** How many entries the tenant has at positions in (after, upTo]. */
  private async countBetween(tenantId: string, after: number, upTo: number): Promise<number> {
    const parts = KINDS.map(
      (kind) =>
        `SELECT count(*) AS n FROM ${S}."${TRAIL_TABLE[kind]}"
         WHERE "tenant_id" = $1 AND "chain_seq" > $2 AND "chain_seq" <= $3`,
    );
    const rows = await this.query<{ n: string }[]>(
      `SELECT sum(n) AS "n" FROM (${parts.join(' UNION ALL ')}) AS t`,
      [tenantId, after, upTo],
    );

    return Number(rows[0].n);
  }

  /** Records how far the chain verified; a failure to record only costs the next check time. */
  private async saveMark(tenantId: string, reached: ChainPoint): Promise<void> {
    if (reached.seq === 0) return;
    try {
      await this.query(
        `INSERT INTO ${S}."chain_verified" ("tenant_id", "seq", "hash") VALUES ($1, $2, $3)
         ON CONFLICT ("tenant_id") DO UPDATE
           SET "seq" = excluded."seq", "hash" = excluded."hash", "verified_at" = now()
           WHERE "chain_verified"."seq" <= excluded."seq"`,
        [tenantId, reached.seq, reached.hash],
      );
    } catch (error) {
      this.logger.warn('could not record the verified position', {
        tenantId,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  private async head(tenantId: string): Promise<ChainPoint> {
    const rows = await this.query<{ seq: string; hash: Buffer }[]>(
      `SELECT "seq", "hash" FROM ${S}."chain_heads" WHERE "tenant_id" = $1`,
      [tenantId],
    );

    return rows[0] ? { seq: Number(rows[0].seq), hash: rows[0].hash } : GENESIS;
  }
}

const GENESIS: ChainPoint = { seq: 0, hash: GENESIS_HASH };

import { Inject, Injectable } from '@nestjs/common';
import { AppLogger } from '@xai/common';
import { DataSource, EntityManager } from 'typeorm';

import {
  chainOrigin,
  readCheckpoints,
  SqlQuery,
  storedRange,
  walkChain,
} from '../chain/chain-walk';
import { AUDIT_LOG_SCHEMA } from '../database/audit-log-schema';
import { MAINTENANCE_SETTING, RETENTION_MAINTENANCE, TRAIL_TABLES } from '../database/trail-access';

const S = `"${AUDIT_LOG_SCHEMA}"`;
const DAY_MS = 86_400_000;

/** What one retention pass removed. */
export interface RetentionResult {
  tenants: number;
  deleted: number;
}

/**
 * Removes trail entries older than the retention period, as a prefix of each tenant's chain:
 * everything before the tenant's oldest entry that is still young (or not yet rolled up) goes,
 * and a checkpoint records the hash of the last entry removed, so `audit verify` still checks
 * the rest from there and a removal of anything else is still caught. The range is verified
 * first: a range whose chain does not hold is never removed (that would erase the evidence), and
 * the break is logged. Runs as the login user with the maintenance setting, the one path the
 * append-only triggers let DELETE through.
 */
@Injectable()
export class RetentionService {
  private readonly logger = new AppLogger(RetentionService.name);

  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Tenants whose old entries were kept because their chain did not verify. */
  private refused = 0;

  /** One pass over every tenant; `retentionDays` of 0 keeps everything. */
  async run(retentionDays: number, now = new Date()): Promise<RetentionResult> {
    if (retentionDays <= 0) return { tenants: 0, deleted: 0 };

    const cutoff = new Date(now.getTime() - retentionDays * DAY_MS);
    const tenants = await this.dataSource.query<{ tenant_id: string }[]>(
      `SELECT "tenant_id" FROM ${S}."chain_heads" ORDER BY "tenant_id"`,
    );
    const result: RetentionResult = { tenants: 0, deleted: 0 };
    for (const { tenant_id: tenantId } of tenants) {
      const deleted = await this.trimTenant(tenantId, cutoff);
      if (deleted > 0) result.tenants += 1;
      result.deleted += deleted;
    }
    if (result.deleted > 0) this.logger.info('old audit entries removed', { ...result, cutoff });

    return result;
  }

  private async trimTenant(tenantId: string, cutoff: Date): Promise<number> {
    // Verified before the head is locked (old entries never change), so appends are not held up.
    const outside = this.dataSource.manager;
    const verified = await this.lastRemovable(outside, tenantId, cutoff);
    if (verified <= (await this.checkpointSeq(outside, tenantId))) return 0;
    if (!(await this.verifiesUpTo(outside, tenantId, verified))) return 0;

    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SET LOCAL ${MAINTENANCE_SETTING} = '${RETENTION_MAINTENANCE}'`);
      // Holding the head keeps appends of this tenant out while the prefix is cut.
      await manager.query(`SELECT 1 FROM ${S}."chain_heads" WHERE "tenant_id" = $1 FOR UPDATE`, [
        tenantId,
      ]);
      const last = Math.min(verified, await this.lastRemovable(manager, tenantId, cutoff));
      if (last <= (await this.checkpointSeq(manager, tenantId))) return 0;

      const hash = await this.hashAt(manager, tenantId, last);
      await manager.query(
        `INSERT INTO ${S}."chain_checkpoints" ("tenant_id", "seq", "hash") VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING`,
        [tenantId, last, hash],
      );
      let deleted = 0;
      for (const table of TRAIL_TABLES) {
        // Counted by a SELECT: TypeORM shapes the result of a bare DELETE differently.
        const rows = await manager.query<{ n: number }[]>(
          `WITH gone AS (
             DELETE FROM ${S}."${table}" WHERE "tenant_id" = $1 AND "chain_seq" <= $2 RETURNING 1
           ) SELECT count(*)::int AS "n" FROM gone`,
          [tenantId, last],
        );
        deleted += rows[0].n;
      }

      return deleted;
    });
  }

  /**
   * The last position that may go: just before the oldest entry recorded after the cutoff or
   * still waiting for the rollups; 0 when nothing may.
   */
  private async lastRemovable(
    manager: EntityManager,
    tenantId: string,
    cutoff: Date,
  ): Promise<number> {
    const kept = TRAIL_TABLES.map(
      (table) =>
        `SELECT min("chain_seq") AS s FROM ${S}."${table}"
         WHERE "tenant_id" = $1 AND "recorded_at" >= $2`,
    );
    const pending = `SELECT min(e."chain_seq") AS s FROM ${S}."rollup_pending" p
      JOIN ${S}."request_events" e USING ("event_id") WHERE e."tenant_id" = $1`;
    const firstKept = TRAIL_TABLES.map(
      (table) => `SELECT max("chain_seq") + 1 AS s FROM ${S}."${table}" WHERE "tenant_id" = $1`,
    );
    const rows = await manager.query<{ last: string }[]>(
      `SELECT coalesce(
         (SELECT min(s) FROM (${[...kept, pending].join(' UNION ALL ')}) AS young),
         (SELECT max(s) FROM (${firstKept.join(' UNION ALL ')}) AS everything),
         1) - 1 AS "last"`,
      [tenantId, cutoff],
    );

    return Math.max(0, Number(rows[0].last));
  }

  /**
   * Whether the tenant's chain holds from its origin up to `last`, the range about to go. When
   * it does not, the break is logged and nothing is removed.
   */
  private async verifiesUpTo(
    manager: EntityManager,
    tenantId: string,
    last: number,
  ): Promise<boolean> {
    const query: SqlQuery = <T>(sql: string, parameters?: unknown[]) =>
      manager.query<T>(sql, parameters);
    const checkpoints = await readCheckpoints(query, tenantId);
    const range = await storedRange(query, tenantId);
    const origin = chainOrigin(checkpoints, range.oldest, Number.MAX_SAFE_INTEGER);
    const broken =
      'broken' in origin
        ? origin.broken
        : (await walkChain(query, tenantId, origin.point, last, { checkpoints })).broken;
    if (!broken) return true;

    this.refused += 1;
    this.logger.error('audit chain broken: old entries kept, not removed by retention', {
      tenantId,
      upTo: last,
      ...broken,
      refusedTenants: this.refused,
    });

    return false;
  }

  private async checkpointSeq(manager: EntityManager, tenantId: string): Promise<number> {
    const rows = await manager.query<{ seq: string }[]>(
      `SELECT coalesce(max("seq"), 0) AS "seq" FROM ${S}."chain_checkpoints" WHERE "tenant_id" = $1`,
      [tenantId],
    );

    return Number(rows[0].seq);
  }

  private async hashAt(manager: EntityManager, tenantId: string, seq: number): Promise<Buffer> {
    const parts = TRAIL_TABLES.map(
      (table) =>
        `SELECT "row_hash" FROM ${S}."${table}" WHERE "tenant_id" = $1 AND "chain_seq" = $2`,
    );
    const rows = await manager.query<{ row_hash: Buffer }[]>(parts.join(' UNION ALL '), [
      tenantId,
      seq,
    ]);

    return rows[0].row_hash;
  }
}

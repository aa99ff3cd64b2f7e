import { Inject, Injectable } from '@nestjs/common';
import { DataSource, QueryRunner } from 'typeorm';

import { AUDIT_LOG_SCHEMA } from '../database/audit-log-schema';
import { AUDIT_WRITER_ROLE } from '../database/trail-access';
import { chainHash, GENESIS_HASH } from './chain-encoding';
import { columnsOf, insertValues, placeholder } from './trail-columns';
import { encodeEntry, TRAIL_TABLE, TrailRow } from './trail-entries';

const S = `"${AUDIT_LOG_SCHEMA}"`;

/**
 * Appends entries to their tenant's hash chain. Each append is one short transaction, run as
 * the writer role: it locks the tenant's chain head (so appends of one tenant are serialised
 * while other tenants proceed in parallel), inserts the entry at the next position with its
 * hash, and moves the head, all or nothing. An entry whose event id is already stored is
 * skipped without touching the chain, which makes redelivery harmless.
 */
@Injectable()
export class ChainAppender {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Resolves to whether the entry was new; once it resolves, the entry is committed. */
  async append(entry: TrailRow): Promise<boolean> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query(`BEGIN; SET LOCAL ROLE ${AUDIT_WRITER_ROLE}`);
      const head = await this.lockHead(runner, entry.row.tenantId);
      const seq = head.seq + 1;
      const hash = chainHash(head.hash, encodeEntry(entry, seq));
      const inserted = await this.insert(runner, entry, seq, head.hash, hash);
      await runner.query('COMMIT');

      return inserted;
    } catch (error) {
      await runner.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  private async lockHead(
    runner: QueryRunner,
    tenantId: string,
  ): Promise<{ seq: number; hash: Buffer }> {
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

  private async insert(
    runner: QueryRunner,
    entry: TrailRow,
    seq: number,
    prevHash: Buffer,
    hash: Buffer,
  ): Promise<boolean> {
    const columns = columnsOf(entry.kind);
    const values = [...insertValues(entry), seq, prevHash, hash];
    const names = [...columns.map(([name]) => name), 'chain_seq', 'prev_hash', 'row_hash'];
    const placeholders = [
      ...columns.map(([, , type], index) => placeholder(type, index + 1)),
      ...[1, 2, 3].map((offset) => `$${columns.length + offset}`),
    ];
    const seqParam = `$${columns.length + 1}`;
    const hashParam = `$${columns.length + 3}`;
    const tenantParam = `$${columns.findIndex(([name]) => name === 'tenant_id') + 1}`;
    const rollup =
      entry.kind === 'request'
        ? `, pending AS (INSERT INTO ${S}."rollup_pending" ("event_id") SELECT "event_id" FROM ins)`
        : '';
    const sql = `
      WITH ins AS (
        INSERT INTO ${S}."${TRAIL_TABLE[entry.kind]}" (${names.map((name) => `"${name}"`).join(', ')})
        VALUES (${placeholders.join(', ')})
        ON CONFLICT ("event_id") DO NOTHING
        RETURNING "event_id"
      ), head AS (
        UPDATE ${S}."chain_heads" SET "seq" = ${seqParam}, "hash" = ${hashParam}, "updated_at" = now()
        WHERE "tenant_id" = ${tenantParam} AND EXISTS (SELECT 1 FROM ins)
      )${rollup}
      SELECT count(*)::int AS "inserted" FROM ins`;
    const result = (await runner.query(sql, values)) as { inserted: number }[];

    return result[0].inserted > 0;
  }
}

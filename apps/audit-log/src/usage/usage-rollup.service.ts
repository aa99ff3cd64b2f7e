import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { AUDIT_LOG_SCHEMA } from '../database/audit-log-schema';
import { AUDIT_WRITER_ROLE } from '../database/trail-access';

const S = `"${AUDIT_LOG_SCHEMA}"`;
const SUMS = [
  'requests',
  'errors',
  'input_tokens',
  'cached_input_tokens',
  'output_tokens',
  'reasoning_tokens',
  'cost_usd',
  'unpriced_requests',
] as const;
const GROUP = ['"tenant_id"', '"model"', '"provider_key_id"', '"virtual_key_id"'];

/** Request events added per transaction. */
export const ROLLUP_BATCH = 5_000;

function upsert(table: string, bucket: string, source: string): string {
  const columns = ['"tenant_id"', `"${bucket}"`, ...GROUP.slice(1), ...SUMS.map((c) => `"${c}"`)];
  const sums = SUMS.map((column) => `sum("${column}")`);
  const additions = SUMS.map((column) => `"${column}" = u."${column}" + EXCLUDED."${column}"`);

  return `INSERT INTO ${S}."${table}" AS u (${columns.join(', ')})
    SELECT "tenant_id", "${bucket}", ${GROUP.slice(1).join(', ')}, ${sums.join(', ')}
    FROM ${source} GROUP BY "tenant_id", "${bucket}", ${GROUP.slice(1).join(', ')}
    ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT ("tenant_id", "${bucket}", "model", "provider_key_id", "virtual_key_id")
    DO UPDATE SET ${additions.join(', ')}
    RETURNING 1`;
}

/**
 * One transaction: take up to a batch of pending events (skipping any another worker holds),
 * add them to the hourly and daily rollups, and forget them. The pending mark was written in
 * the same transaction as the event, so each event is counted exactly once, late ones included.
 */
const ROLLUP_SQL = `
  WITH batch AS (
    DELETE FROM ${S}."rollup_pending" WHERE "event_id" IN (
      SELECT "event_id" FROM ${S}."rollup_pending" LIMIT $1 FOR UPDATE SKIP LOCKED
    ) RETURNING "event_id"
  ), facts AS (
    SELECT e."tenant_id",
      date_trunc('hour', e."occurred_at", 'UTC') AS "hour",
      date_trunc('day', e."occurred_at", 'UTC') AS "day",
      coalesce(e."upstream_model", e."requested_model", '') AS "model",
      coalesce(e."provider_key_id", '') AS "provider_key_id",
      e."virtual_key_id",
      1 AS "requests",
      (e."status" >= 400)::int AS "errors",
      coalesce(e."prompt_tokens", 0) AS "input_tokens",
      coalesce(e."cached_input_tokens", 0) AS "cached_input_tokens",
      coalesce(e."completion_tokens", 0) AS "output_tokens",
      coalesce(e."reasoning_tokens", 0) AS "reasoning_tokens",
      coalesce(e."cost_usd", 0) AS "cost_usd",
      (e."prompt_tokens" IS NOT NULL AND e."cost_usd" IS NULL)::int AS "unpriced_requests"
    FROM ${S}."request_events" e JOIN batch USING ("event_id")
  ), hourly AS (${upsert('usage_hourly', 'hour', 'facts')}
  ), daily AS (${upsert('usage_daily', 'day', 'facts')}
  )
  SELECT (SELECT count(*) FROM batch)::int AS "events"`;

/** Adds recorded request events to the hourly and daily usage rollups. */
@Injectable()
export class UsageRollup {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Rolls up everything pending, batch by batch; resolves to the number of events added. */
  async run(batchSize = ROLLUP_BATCH): Promise<number> {
    let total = 0;
    for (;;) {
      const events = await this.runBatch(batchSize);
      total += events;
      if (events < batchSize) return total;
    }
  }

  /** Events recorded but not yet in the rollups. */
  async pending(): Promise<number> {
    const rows = await this.dataSource.query<{ count: number }[]>(
      `SELECT count(*)::int AS "count" FROM ${S}."rollup_pending"`,
    );

    return rows[0].count;
  }

  private async runBatch(batchSize: number): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SET LOCAL ROLE ${AUDIT_WRITER_ROLE}`);
      const rows = await manager.query<{ events: number }[]>(ROLLUP_SQL, [batchSize]);

      return rows[0].events;
    });
  }
}

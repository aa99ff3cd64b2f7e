import { Inject, Injectable } from '@nestjs/common';
import type { QueryUsageRequest, QueryUsageResponse, UsageGroupBy, UsageRow } from '@xai/contracts';
import { formatPicoUsd, parseUsd } from '@xai/pricing';
import { DataSource } from 'typeorm';

import { AUDIT_LOG_SCHEMA } from '../database/audit-log-schema';
import { AuditLogException } from '../errors/audit-log.exception';
import { UsagePeriod, usagePeriod } from './usage-period';

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

/** The group key of each grouping, as an expression over a rollup row (`bucket` is its time). */
const GROUP_KEY: Record<Exclude<UsageGroupBy, 'USAGE_GROUP_BY_UNSPECIFIED'>, string> = {
  USAGE_GROUP_BY_DAY: `to_char("bucket" AT TIME ZONE 'UTC', 'YYYY-MM-DD')`,
  USAGE_GROUP_BY_MODEL: '"model"',
  USAGE_GROUP_BY_PROVIDER_KEY: '"provider_key_id"',
  USAGE_GROUP_BY_VIRTUAL_KEY: '"virtual_key_id"',
};

type RawRow = Record<(typeof SUMS)[number], string> & { key: string };

/**
 * Answers QueryUsage from the hourly and daily rollups only: the raw trail is never scanned, so
 * the answer takes the same time whatever the traffic. Rollups trail the trail by at most one
 * rollup interval (AUDIT_ROLLUP_INTERVAL_MS).
 */
@Injectable()
export class UsageQueryService {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async query(request: QueryUsageRequest): Promise<QueryUsageResponse> {
    const tenantId = request.tenantId?.trim() ?? '';
    if (tenantId === '') throw AuditLogException.invalid('tenant_id', 'is required');
    const groupBy = groupingOf(request.groupBy);
    const period = usagePeriod(request.from, request.to);

    const { sql, parameters } = usageSql(tenantId, GROUP_KEY[groupBy], period);
    const raw = await this.dataSource.query<RawRow[]>(sql, parameters);
    const rows = raw.map(toUsageRow);

    return {
      rows,
      total: sumRows(rows),
      from: period.from.toISOString(),
      to: period.to.toISOString(),
    };
  }
}

function groupingOf(
  groupBy: UsageGroupBy | undefined,
): Exclude<UsageGroupBy, 'USAGE_GROUP_BY_UNSPECIFIED'> {
  if (!groupBy || groupBy === 'USAGE_GROUP_BY_UNSPECIFIED') return 'USAGE_GROUP_BY_DAY';
  if (!(groupBy in GROUP_KEY)) throw AuditLogException.invalid('group_by', 'is not a grouping');

  return groupBy;
}

/** One query over the daily rollup for whole days and the hourly one for the edges. */
export function usageSql(
  tenantId: string,
  key: string,
  period: UsagePeriod,
): { sql: string; parameters: unknown[] } {
  const parameters: unknown[] = [tenantId];
  const sources: string[] = [];
  const select = (table: string, bucket: string, range: { from: Date; to: Date }): void => {
    parameters.push(range.from, range.to);
    const [from, to] = [parameters.length - 1, parameters.length];
    sources.push(
      `SELECT "${bucket}" AS "bucket", "model", "provider_key_id", "virtual_key_id",
         ${SUMS.map((column) => `"${column}"`).join(', ')}
       FROM ${S}."${table}" WHERE "tenant_id" = $1 AND "${bucket}" >= $${from} AND "${bucket}" < $${to}`,
    );
  };
  if (period.days) select('usage_daily', 'day', period.days);
  for (const range of period.hours) select('usage_hourly', 'hour', range);
  const sums = SUMS.map((column) => `sum("${column}")::text AS "${column}"`);

  return {
    sql: `SELECT ${key} AS "key", ${sums.join(', ')}
          FROM (${sources.join(' UNION ALL ')}) AS rollup
          GROUP BY 1 ORDER BY 1`,
    parameters,
  };
}

function toUsageRow(raw: RawRow): UsageRow {
  return {
    key: raw.key,
    requests: Number(raw.requests),
    errors: Number(raw.errors),
    inputTokens: Number(raw.input_tokens),
    cachedInputTokens: Number(raw.cached_input_tokens),
    outputTokens: Number(raw.output_tokens),
    reasoningTokens: Number(raw.reasoning_tokens),
    costUsd: fixedUsd(raw.cost_usd),
    unpricedRequests: Number(raw.unpriced_requests),
  };
}

/** A numeric sum as dollars with exactly twelve decimals. */
function fixedUsd(text: string): string {
  const [whole, fraction = ''] = text.split('.');

  return `${whole}.${fraction.padEnd(12, '0').slice(0, 12)}`;
}

function sumRows(rows: UsageRow[]): UsageRow {
  const costUsd = formatPicoUsd(rows.reduce((sum, row) => sum + parseUsd(row.costUsd), 0n));
  const add = (field: keyof Omit<UsageRow, 'key' | 'costUsd'>): number =>
    rows.reduce((sum, row) => sum + row[field], 0);

  return {
    key: '',
    requests: add('requests'),
    errors: add('errors'),
    inputTokens: add('inputTokens'),
    cachedInputTokens: add('cachedInputTokens'),
    outputTokens: add('outputTokens'),
    reasoningTokens: add('reasoningTokens'),
    costUsd,
    unpricedRequests: add('unpricedRequests'),
  };
}

import { Controller, Get, Query, Res, UseGuards } from '@nestjs/common';
import type { UsageGroupBy, UsageRow } from '@xai/contracts';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';

import { Caller } from '../auth/caller';
import { CurrentCaller, OwnerGuard } from '../auth/owner.guard';
import { ServiceClients, fromGrpcError } from '../clients/service-clients';
import { parseBody } from '../management/parse-body';
import { usageCsvColumns } from './audit-csv';
import { csvHeader, csvRow } from './csv';

const GROUPINGS = {
  day: 'USAGE_GROUP_BY_DAY',
  model: 'USAGE_GROUP_BY_MODEL',
  provider_key: 'USAGE_GROUP_BY_PROVIDER_KEY',
  virtual_key: 'USAGE_GROUP_BY_VIRTUAL_KEY',
} as const satisfies Record<string, UsageGroupBy>;

const UsageQuerySchema = z
  .object({
    group_by: z.enum(['day', 'model', 'provider_key', 'virtual_key']).optional(),
    from: z.string().datetime({ offset: true }).optional(),
    to: z.string().datetime({ offset: true }).optional(),
    format: z.enum(['json', 'csv']).optional(),
  })
  .strict();

/** One group's usage as `/x-usage` answers it; costs are exact decimal strings in US dollars. */
export interface UsageRowView {
  key: string;
  requests: number;
  errors: number;
  input_tokens: number;
  cached_input_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
  cost_usd: string;
  unpriced_requests: number;
}

/** The answer of `/x-usage`. */
export interface UsageView {
  group_by: keyof typeof GROUPINGS;
  from: string;
  to: string;
  data: UsageRowView[];
  total: UsageRowView;
}

/**
 * `/x-usage`: the tenant's requests, tokens by kind and cost, grouped by day, model, provider
 * key or virtual key, from the hourly and daily rollups (owner only). `format=csv` exports
 * the same rows.
 */
@Controller('x-usage')
@UseGuards(OwnerGuard)
export class UsageHttpController {
  constructor(private readonly clients: ServiceClients) {}

  @Get()
  async query(
    @CurrentCaller() caller: Caller,
    @Query() query: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<UsageView | string> {
    const input = parseBody(UsageQuerySchema, { ...(query as object) });
    const groupBy = input.group_by ?? 'day';
    let answer;
    try {
      answer = await this.clients.auditLog.call('queryUsage', {
        tenantId: caller.tenantId,
        groupBy: GROUPINGS[groupBy],
        from: input.from,
        to: input.to,
      });
    } catch (error) {
      throw fromGrpcError(error, 'read the usage');
    }
    if (input.format === 'csv') {
      const columns = usageCsvColumns(groupBy);
      // The period summed, widened to whole hours (the JSON answer carries it as from and to).
      void reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="usage-by-${groupBy}.csv"`)
        .header('x-usage-from', answer.from)
        .header('x-usage-to', answer.to);

      return [csvHeader(columns), ...answer.rows.map((row) => csvRow(columns, row))].join('');
    }

    return {
      group_by: groupBy,
      from: answer.from,
      to: answer.to,
      data: answer.rows.map(toView),
      total: toView(answer.total ?? emptyRow()),
    };
  }
}

function toView(row: UsageRow): UsageRowView {
  return {
    key: row.key,
    requests: row.requests,
    errors: row.errors,
    input_tokens: row.inputTokens,
    cached_input_tokens: row.cachedInputTokens,
    output_tokens: row.outputTokens,
    reasoning_tokens: row.reasoningTokens,
    cost_usd: row.costUsd,
    unpriced_requests: row.unpricedRequests,
  };
}

function emptyRow(): UsageRow {
  return {
    key: '',
    requests: 0,
    errors: 0,
    inputTokens: 0,
    cachedInputTokens: 0,
    outputTokens: 0,
    reasoningTokens: 0,
    costUsd: '0.000000000000',
    unpricedRequests: 0,
  };
}

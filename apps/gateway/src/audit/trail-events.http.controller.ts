import { Controller, Get, Query, Res, StreamableFile, UseGuards } from '@nestjs/common';
import type {
  ChangeRecord,
  KeyUseRecord,
  QueryChangesRequest,
  QueryKeyUsesRequest,
} from '@xai/contracts';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';

import { Caller } from '../auth/caller';
import { CurrentCaller, OwnerGuard } from '../auth/owner.guard';
import { ServiceClients, fromGrpcError } from '../clients/service-clients';
import { parseBody } from '../management/parse-body';
import type { CsvColumn } from './csv';
import { ListingPage, csvAttachment } from './csv-export';
import { CHANGE_CSV_COLUMNS, KEY_USE_CSV_COLUMNS } from './trail-events-csv';

const PAGING = {
  from: z.string().datetime({ offset: true }).optional(),
  to: z.string().datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  cursor: z.string().min(1).max(500).optional(),
  format: z.enum(['json', 'csv']).optional(),
};

const KeyUsesQuerySchema = z
  .object({
    ...PAGING,
    provider_key_id: z.string().min(1).max(200).optional(),
    request_id: z.string().min(1).max(200).optional(),
  })
  .strict();

const ChangesQuerySchema = z
  .object({ ...PAGING, resource: z.string().min(1).max(64).optional() })
  .strict();

/** A management change as `/x-audit/changes` answers it: its states as JSON values. */
export type ChangeView = Omit<ChangeRecord, 'beforeJson' | 'afterJson'> & {
  before: unknown;
  after: unknown;
};

type Listing<V> = { data: V[]; next_cursor: string | null } | StreamableFile;

/**
 * `/x-audit/key-uses` (each use of a provider key by key-vault) and `/x-audit/changes` (each
 * management change), the tenant's own, newest first, filtered by time, paginated, as JSON or
 * as a CSV export of every matching record (owner only).
 */
@Controller('x-audit')
@UseGuards(OwnerGuard)
export class TrailEventsHttpController {
  constructor(private readonly clients: ServiceClients) {}

  @Get('key-uses')
  async keyUses(
    @CurrentCaller() caller: Caller,
    @Query() query: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Listing<KeyUseRecord>> {
    const filters = parseBody(KeyUsesQuerySchema, { ...(query as object) });
    const request: QueryKeyUsesRequest = {
      tenantId: caller.tenantId,
      from: filters.from,
      to: filters.to,
      providerKeyId: filters.provider_key_id,
      requestId: filters.request_id,
      limit: filters.format === 'csv' ? 500 : filters.limit,
      cursor: filters.cursor,
    };
    const read = (cursor?: string): Promise<ListingPage<KeyUseRecord>> =>
      this.read('key uses', () =>
        this.clients.auditLog.call('queryKeyUses', {
          ...request,
          cursor: cursor ?? request.cursor,
        }),
      );

    return this.answer(filters.format, reply, 'key-uses', KEY_USE_CSV_COLUMNS, read, (r) => r);
  }

  @Get('changes')
  async changes(
    @CurrentCaller() caller: Caller,
    @Query() query: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Listing<ChangeView>> {
    const filters = parseBody(ChangesQuerySchema, { ...(query as object) });
    const request: QueryChangesRequest = {
      tenantId: caller.tenantId,
      from: filters.from,
      to: filters.to,
      resource: filters.resource,
      limit: filters.format === 'csv' ? 500 : filters.limit,
      cursor: filters.cursor,
    };
    const read = (cursor?: string): Promise<ListingPage<ChangeRecord>> =>
      this.read('changes', () =>
        this.clients.auditLog.call('queryChanges', {
          ...request,
          cursor: cursor ?? request.cursor,
        }),
      );

    return this.answer(filters.format, reply, 'changes', CHANGE_CSV_COLUMNS, read, toChangeView);
  }

  /** The first page as JSON, or every page as a CSV attachment. */
  private async answer<R, V>(
    format: 'json' | 'csv' | undefined,
    reply: FastifyReply,
    name: string,
    columns: readonly CsvColumn<R>[],
    read: (cursor?: string) => Promise<ListingPage<R>>,
    view: (record: R) => V,
  ): Promise<Listing<V>> {
    const first = await read();
    if (format !== 'csv') {
      return { data: first.records.map(view), next_cursor: first.nextCursor || null };
    }
    return csvAttachment(reply, name, columns, first, read);
  }

  private async read<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw fromGrpcError(error, `read the ${what}`);
    }
  }
}

function toChangeView(record: ChangeRecord): ChangeView {
  const { beforeJson, afterJson, ...rest } = record;

  return { ...rest, before: parseState(beforeJson), after: parseState(afterJson) };
}

function parseState(json: string): unknown {
  return json === '' ? null : (JSON.parse(json) as unknown);
}

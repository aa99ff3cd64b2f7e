import { Controller, Get, Query, Res, StreamableFile, UseGuards } from '@nestjs/common';
import type { AuditRecord, QueryAuditRequest, VerifyAuditResponse } from '@xai/contracts';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';

import { Caller } from '../auth/caller';
import { CurrentCaller, OwnerGuard } from '../auth/owner.guard';
import { ServiceClients, fromGrpcError } from '../clients/service-clients';
import { parseBody } from '../management/parse-body';
import { AUDIT_CSV_COLUMNS } from './audit-csv';
import { AuditRecordView, toAuditRecordView } from './audit-record.view';
import { csvAttachment } from './csv-export';

const AuditQuerySchema = z
  .object({
    request_id: z.string().min(1).max(200).optional(),
    from: z.string().datetime({ offset: true }).optional(),
    to: z.string().datetime({ offset: true }).optional(),
    virtual_key_id: z.string().min(1).max(200).optional(),
    provider_key_id: z.string().min(1).max(200).optional(),
    model: z.string().min(1).max(200).optional(),
    status: z.coerce.number().int().min(100).max(599).optional(),
    status_class: z.enum(['1xx', '2xx', '3xx', '4xx', '5xx']).optional(),
    limit: z.coerce.number().int().min(1).max(500).optional(),
    cursor: z.string().min(1).max(500).optional(),
    format: z.enum(['json', 'csv']).optional(),
  })
  .strict();

type AuditQuery = z.infer<typeof AuditQuerySchema>;

/** The chain check of one tenant, as `/x-audit/verify` answers it. */
export interface VerifyView {
  ok: boolean;
  entries_checked: number;
  first_broken: { seq: number; event_id: string; kind: string; reason: string } | null;
  head: { seq: number; hash: string } | null;
  /** Where the check started: the genesis, a retention checkpoint or the last verified mark. */
  anchor: { kind: string; seq: number } | null;
}

const VerifyQuerySchema = z.object({ full: z.enum(['true', 'false']).optional() }).strict();

/**
 * `/x-audit`: the tenant's audit trail, newest first, filtered and paginated, as JSON or as a
 * CSV export of every matching record; `/x-audit/verify` checks the tenant's hash chain
 * (owner only).
 */
@Controller('x-audit')
@UseGuards(OwnerGuard)
export class AuditTrailHttpController {
  constructor(private readonly clients: ServiceClients) {}

  @Get()
  async query(
    @CurrentCaller() caller: Caller,
    @Query() query: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ data: AuditRecordView[]; next_cursor: string | null } | StreamableFile> {
    const filters = parseBody(AuditQuerySchema, { ...(query as object) });
    const request = toRequest(caller.tenantId, filters);
    const first = await this.page(request);
    if (filters.format !== 'csv') {
      return { data: first.records.map(toAuditRecordView), next_cursor: first.nextCursor || null };
    }
    const next = (cursor: string) => this.page({ ...request, cursor });

    return csvAttachment(reply, 'audit', AUDIT_CSV_COLUMNS, first, next);
  }

  /** `?full=true` walks the whole chain instead of starting from the last verified position. */
  @Get('verify')
  async verify(@CurrentCaller() caller: Caller, @Query() query: unknown): Promise<VerifyView> {
    const { full } = parseBody(VerifyQuerySchema, { ...(query as object) });
    try {
      return toVerifyView(
        await this.clients.auditLog.call(
          'verifyAudit',
          { tenantId: caller.tenantId, full: full === 'true' },
          { deadlineMs: 120_000 },
        ),
      );
    } catch (error) {
      throw fromGrpcError(error, 'verify the audit trail');
    }
  }

  private async page(
    request: QueryAuditRequest,
  ): Promise<{ records: AuditRecord[]; nextCursor: string }> {
    try {
      return await this.clients.auditLog.call('queryAudit', request);
    } catch (error) {
      throw fromGrpcError(error, 'read the audit trail');
    }
  }
}

function toRequest(tenantId: string, filters: AuditQuery): QueryAuditRequest {
  return {
    tenantId,
    requestId: filters.request_id,
    from: filters.from,
    to: filters.to,
    virtualKeyId: filters.virtual_key_id,
    providerKeyId: filters.provider_key_id,
    model: filters.model,
    status: filters.status,
    statusClass: filters.status_class,
    // A CSV export reads whole pages; the caller's limit applies to JSON pages.
    limit: filters.format === 'csv' ? 500 : filters.limit,
    cursor: filters.cursor,
  };
}

function toVerifyView(result: VerifyAuditResponse): VerifyView {
  const broken = result.firstBroken;
  const head = result.heads[0];

  return {
    ok: result.ok,
    entries_checked: result.entriesChecked,
    first_broken: broken
      ? { seq: broken.seq, event_id: broken.eventId, kind: broken.kind, reason: broken.reason }
      : null,
    head: head ? { seq: head.seq, hash: head.hash } : null,
    anchor: head?.anchor ? { kind: head.anchor, seq: head.anchorSeq ?? 0 } : null,
  };
}

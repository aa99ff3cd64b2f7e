import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { AuditRecord } from '@xai/contracts';
import { z } from 'zod';

import { Caller } from '../auth/caller';
import { CurrentCaller, OwnerGuard } from '../auth/owner.guard';
import { ServiceClients, fromGrpcError } from '../clients/service-clients';
import { parseBody } from './parse-body';

const AuditQuerySchema = z
  .object({
    request_id: z.string().min(1).max(200).optional(),
    limit: z.coerce.number().int().min(1).max(500).optional(),
    cursor: z.string().min(1).max(500).optional(),
  })
  .strict();

/** `/x-audit`: the tenant's audit trail, newest first (owner only). */
@Controller('x-audit')
@UseGuards(OwnerGuard)
export class AuditHttpController {
  constructor(private readonly clients: ServiceClients) {}

  @Get()
  async query(
    @CurrentCaller() caller: Caller,
    @Query() query: unknown,
  ): Promise<{ data: AuditRecord[]; next_cursor: string | null }> {
    const filters = parseBody(AuditQuerySchema, { ...(query as object) });
    try {
      const { records, nextCursor } = await this.clients.auditLog.call('queryAudit', {
        tenantId: caller.tenantId,
        requestId: filters.request_id,
        limit: filters.limit,
        cursor: filters.cursor,
      });

      return { data: records, next_cursor: nextCursor || null };
    } catch (error) {
      throw fromGrpcError(error, 'read the audit trail');
    }
  }
}

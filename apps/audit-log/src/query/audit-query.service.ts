import { Injectable } from '@nestjs/common';
import type { QueryAuditRequest, QueryAuditResponse } from '@xai/contracts';

import { AuditLogException } from '../errors/audit-log.exception';
import { RequestEventsRepository } from '../request-events/request-events.repository';
import { decodeAuditCursor, encodeAuditCursor } from './audit-cursor';
import { toAuditRecord } from './audit-record.mapper';

/** Records per page when the caller does not say. */
export const DEFAULT_PAGE_SIZE = 100;

/** The most records one page may hold. */
export const MAX_PAGE_SIZE = 500;

/** Answers QueryAudit: a tenant's trail, newest first, one keyset page at a time. */
@Injectable()
export class AuditQueryService {
  constructor(private readonly events: RequestEventsRepository) {}

  /** One page of the tenant's records, with the cursor of the next page ('' after the last). */
  async query(request: QueryAuditRequest): Promise<QueryAuditResponse> {
    const tenantId = request.tenantId?.trim() ?? '';
    if (tenantId === '') throw AuditLogException.invalid('tenant_id', 'is required');

    const limit = pageSize(request.limit);
    const after = request.cursor ? decodeAuditCursor(request.cursor) : undefined;
    // One row more than asked tells whether another page follows.
    const rows = await this.events.findPage({
      tenantId,
      requestId: request.requestId || undefined,
      after,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const nextCursor = rows.length > limit && last ? encodeAuditCursor(last) : '';

    return { records: page.map(toAuditRecord), nextCursor };
  }
}

function pageSize(requested: number | undefined): number {
  // proto3 reads an unset int32 as 0.
  if (!requested) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(requested) || requested < 1 || requested > MAX_PAGE_SIZE) {
    throw AuditLogException.invalid('limit', `must be from 1 to ${MAX_PAGE_SIZE}`);
  }

  return requested;
}

import { Injectable } from '@nestjs/common';
import type { QueryAuditRequest, QueryAuditResponse } from '@xai/contracts';

import { AuditLogException } from '../errors/audit-log.exception';
import {
  RequestEventsRepository,
  TrailPageQuery,
} from '../request-events/request-events.repository';
import { decodeAuditCursor, encodeAuditCursor } from './audit-cursor';
import { toAuditRecord } from './audit-record.mapper';

/** Records per page when the caller does not say. */
export const DEFAULT_PAGE_SIZE = 100;

/** The most records one page may hold. */
export const MAX_PAGE_SIZE = 500;

const STATUS_CLASS = /^([1-5])xx$/i;

/** Answers QueryAudit: a tenant's trail, newest first, filtered, one keyset page at a time. */
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
      ...filtersOf(request),
      tenantId,
      after,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const nextCursor = rows.length > limit && last ? encodeAuditCursor(last) : '';

    return { records: page.map(toAuditRecord), nextCursor };
  }
}

/** The request's filters; proto3 sends unset strings as '' and unset numbers as 0. */
export function filtersOf(
  request: QueryAuditRequest,
): Omit<TrailPageQuery, 'tenantId' | 'after' | 'limit'> {
  const { from, to } = timeRange(request);

  return {
    requestId: request.requestId || undefined,
    from,
    to,
    virtualKeyId: request.virtualKeyId || undefined,
    providerKeyId: request.providerKeyId || undefined,
    model: request.model || undefined,
    status: status(request.status),
    statusClass: statusClass(request.statusClass),
  };
}

/** A request's optional `from` (inclusive) and `to` (exclusive), checked. */
export function timeRange(request: { from?: string; to?: string }): { from?: Date; to?: Date } {
  const from = instant('from', request.from);
  const to = instant('to', request.to);
  if (from && to && from >= to) throw AuditLogException.invalid('from', 'must be before to');

  return { from, to };
}

function instant(field: string, value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime()))
    throw AuditLogException.invalid(field, 'is not an ISO 8601 time');

  return date;
}

function status(value: number | undefined): number | undefined {
  if (!value) return undefined;
  if (!Number.isInteger(value) || value < 100 || value > 599) {
    throw AuditLogException.invalid('status', 'must be an HTTP status from 100 to 599');
  }

  return value;
}

function statusClass(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const match = STATUS_CLASS.exec(value);
  if (!match) throw AuditLogException.invalid('status_class', 'must be 1xx, 2xx, 3xx, 4xx or 5xx');

  return Number(match[1]);
}

/** The page size asked for, within bounds; the default when unset. */
export function pageSize(requested: number | undefined): number {
  // proto3 reads an unset int32 as 0.
  if (!requested) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(requested) || requested < 1 || requested > MAX_PAGE_SIZE) {
    throw AuditLogException.invalid('limit', `must be from 1 to ${MAX_PAGE_SIZE}`);
  }

  return requested;
}

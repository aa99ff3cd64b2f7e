import { Injectable } from '@nestjs/common';
import type {
  QueryChangesRequest,
  QueryChangesResponse,
  QueryKeyUsesRequest,
  QueryKeyUsesResponse,
} from '@xai/contracts';

import { AuditLogException } from '../errors/audit-log.exception';
import { decodeAuditCursor, encodeAuditCursor } from './audit-cursor';
import { pageSize, timeRange } from './audit-query.service';
import { toChangeRecord, toKeyUseRecord } from './trail-event-record.mapper';
import {
  TrailEventKind,
  TrailEventPageQuery,
  TrailEventFilters,
  TrailEventsRepository,
} from './trail-events.repository';

/** What every listing request carries besides its own filters. */
interface PageRequest {
  tenantId: string;
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
}

/**
 * Answers QueryKeyUses and QueryChanges: a tenant's key uses and management changes, newest
 * first, filtered by time and a few exact fields, one keyset page at a time (the cursor format
 * is the one of QueryAudit).
 */
@Injectable()
export class TrailEventsQueryService {
  constructor(private readonly events: TrailEventsRepository) {}

  async keyUses(request: QueryKeyUsesRequest): Promise<QueryKeyUsesResponse> {
    const query = pageQuery<'key_use'>(request, {
      provider_key_id: request.providerKeyId || undefined,
      request_id: request.requestId || undefined,
    });
    const rows = await this.events.keyUses(query);
    const page = rows.slice(0, query.limit - 1);

    return { records: page.map(toKeyUseRecord), nextCursor: nextCursor(rows, page) };
  }

  async changes(request: QueryChangesRequest): Promise<QueryChangesResponse> {
    const query = pageQuery<'management_change'>(request, {
      resource: request.resource || undefined,
    });
    const rows = await this.events.changes(query);
    const page = rows.slice(0, query.limit - 1);

    return { records: page.map(toChangeRecord), nextCursor: nextCursor(rows, page) };
  }
}

/** The repository query of a request; its limit is one more than the page, to see a next one. */
function pageQuery<K extends TrailEventKind>(
  request: PageRequest,
  equal: TrailEventFilters[K],
): TrailEventPageQuery<K> {
  const tenantId = request.tenantId?.trim() ?? '';
  if (tenantId === '') throw AuditLogException.invalid('tenant_id', 'is required');

  return {
    tenantId,
    ...timeRange(request),
    equal,
    after: request.cursor ? decodeAuditCursor(request.cursor) : undefined,
    limit: pageSize(request.limit) + 1,
  };
}

function nextCursor(
  rows: readonly { occurred_at: Date; event_id: string }[],
  page: readonly { occurred_at: Date; event_id: string }[],
): string {
  const last = page[page.length - 1];
  if (rows.length <= page.length || !last) return '';

  return encodeAuditCursor({ occurredAt: last.occurred_at, eventId: last.event_id });
}

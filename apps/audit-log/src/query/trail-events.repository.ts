import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { columnsOf } from '../chain/trail-columns';
import { TRAIL_TABLE } from '../chain/trail-entries';
import { AUDIT_LOG_SCHEMA } from '../database/audit-log-schema';
import type { TrailPosition } from '../request-events/request-events.repository';

const S = `"${AUDIT_LOG_SCHEMA}"`;

/** The kinds of trail entry besides requests, which have a repository of their own. */
export type TrailEventKind = 'key_use' | 'management_change';

/** A stored key-use row, as PostgreSQL returns it. */
export interface KeyUseRowView {
  event_id: string;
  tenant_id: string;
  provider_key_id: string;
  operation: string;
  request_id: string | null;
  slot_id: string | null;
  outcome: string;
  occurred_at: Date;
  chain_seq: string;
}

/** A stored management-change row, as PostgreSQL returns it (JSON states parsed). */
export interface ChangeRowView {
  event_id: string;
  tenant_id: string;
  request_id: string;
  actor_virtual_key_id: string;
  actor_member_id: string | null;
  resource: string;
  resource_id: string | null;
  action: string;
  before: unknown;
  after: unknown;
  occurred_at: Date;
  chain_seq: string;
}

/** The columns each kind may be filtered on by exact match. */
export interface TrailEventFilters {
  key_use: { provider_key_id?: string; request_id?: string };
  management_change: { resource?: string };
}

/** Which rows of one kind to read, newest first. Every filter set must hold. */
export interface TrailEventPageQuery<K extends TrailEventKind> {
  tenantId: string;
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
  equal: TrailEventFilters[K];
  after?: TrailPosition;
  limit: number;
}

/** Reads of the key-use and management-change tables (writes go through the chain appender). */
@Injectable()
export class TrailEventsRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  keyUses(query: TrailEventPageQuery<'key_use'>): Promise<KeyUseRowView[]> {
    return this.findPage('key_use', query);
  }

  changes(query: TrailEventPageQuery<'management_change'>): Promise<ChangeRowView[]> {
    return this.findPage('management_change', query);
  }

  /** Up to `limit` rows of a tenant, newest first (ties broken by event id, descending). */
  private findPage<K extends TrailEventKind, R>(
    kind: K,
    query: TrailEventPageQuery<K>,
  ): Promise<R[]> {
    const params: unknown[] = [query.tenantId];
    const where = ['"tenant_id" = $1'];
    const add = (clause: (placeholder: string) => string, value: unknown): void => {
      params.push(value);
      where.push(clause(`$${params.length}`));
    };
    // Column names come from the fixed filter types above, never from the caller's text.
    for (const [column, value] of Object.entries(query.equal)) {
      if (value !== undefined) add((p) => `"${column}" = ${p}`, value);
    }
    if (query.from) add((p) => `"occurred_at" >= ${p}`, query.from);
    if (query.to) add((p) => `"occurred_at" < ${p}`, query.to);
    if (query.after) {
      // A row comparison, so the (tenant_id, occurred_at DESC, event_id DESC) index serves it.
      params.push(query.after.occurredAt, query.after.eventId);
      where.push(
        `("occurred_at", "event_id") < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`,
      );
    }
    params.push(query.limit);
    const columns = [...columnsOf(kind).map(([name]) => `"${name}"`), '"chain_seq"'];

    return this.dataSource.query<R[]>(
      `SELECT ${columns.join(', ')} FROM ${S}."${TRAIL_TABLE[kind]}"
       WHERE ${where.join(' AND ')}
       ORDER BY "occurred_at" DESC, "event_id" DESC LIMIT $${params.length}`,
      params,
    );
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { DataSource, Repository, SelectQueryBuilder } from 'typeorm';

import { RequestEventEntity } from './request-event.entity';

/** Where a page of the trail starts: strictly after (older than) this row. */
export interface TrailPosition {
  occurredAt: Date;
  eventId: string;
}

/** Which rows of the trail to read, newest first. Every filter set must hold. */
export interface TrailPageQuery {
  tenantId: string;
  requestId?: string;
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
  virtualKeyId?: string;
  providerKeyId?: string;
  /** The requested or the upstream model. */
  model?: string;
  status?: number;
  /** The first digit of the status class: 2 for 2xx, 4 for 4xx, … */
  statusClass?: number;
  after?: TrailPosition;
  limit: number;
}

/** Reads of the `request_events` table (writes go through the chain appender). */
@Injectable()
export class RequestEventsRepository {
  private readonly repository: Repository<RequestEventEntity>;

  constructor(@Inject(DataSource) dataSource: DataSource) {
    this.repository = dataSource.getRepository(RequestEventEntity);
  }

  /** Up to `limit` rows of a tenant, newest first (ties broken by event id, descending). */
  async findPage(query: TrailPageQuery): Promise<RequestEventEntity[]> {
    const builder = this.repository
      .createQueryBuilder('event')
      .where('event.tenantId = :tenantId', { tenantId: query.tenantId })
      .orderBy('event.occurredAt', 'DESC')
      .addOrderBy('event.eventId', 'DESC')
      .limit(query.limit);
    applyFilters(builder, query);
    if (query.after) {
      // A row comparison, so the (tenant_id, occurred_at DESC, event_id DESC) index serves it.
      builder.andWhere(
        '(event.occurredAt, event.eventId) < (CAST(:afterAt AS timestamptz), CAST(:afterId AS uuid))',
        { afterAt: query.after.occurredAt.toISOString(), afterId: query.after.eventId },
      );
    }

    return builder.getMany();
  }
}

function applyFilters(
  builder: SelectQueryBuilder<RequestEventEntity>,
  query: TrailPageQuery,
): void {
  const equal: [keyof TrailPageQuery & keyof RequestEventEntity, string][] = [
    ['requestId', 'event.requestId'],
    ['virtualKeyId', 'event.virtualKeyId'],
    ['providerKeyId', 'event.providerKeyId'],
    ['status', 'event.status'],
  ];
  for (const [field, column] of equal) {
    if (query[field] !== undefined)
      builder.andWhere(`${column} = :${field}`, { [field]: query[field] });
  }
  if (query.from) builder.andWhere('event.occurredAt >= :from', { from: query.from });
  if (query.to) builder.andWhere('event.occurredAt < :to', { to: query.to });
  if (query.model !== undefined) {
    builder.andWhere('(event.requestedModel = :model OR event.upstreamModel = :model)', {
      model: query.model,
    });
  }
  if (query.statusClass !== undefined) {
    builder.andWhere('event.status >= :low AND event.status < :high', {
      low: query.statusClass * 100,
      high: query.statusClass * 100 + 100,
    });
  }
}

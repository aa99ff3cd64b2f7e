import { Inject, Injectable } from '@nestjs/common';
import { DataSource, Repository } from 'typeorm';

import { AUDIT_LOG_SCHEMA } from '../database/audit-log-schema';
import { RequestEventEntity } from './request-event.entity';
import { RequestEventRow } from './request-event.row';

/** Where a page of the trail starts: strictly after (older than) this row. */
export interface TrailPosition {
  occurredAt: Date;
  eventId: string;
}

/** Which rows of the trail to read, newest first. */
export interface TrailPageQuery {
  tenantId: string;
  requestId?: string;
  after?: TrailPosition;
  limit: number;
}

const COLUMNS = [
  'event_id',
  'request_id',
  'tenant_id',
  'virtual_key_id',
  'provider_key_id',
  'level',
  'requested_model',
  'upstream_model',
  'endpoint',
  'status',
  'error_code',
  'stream',
  'attempts',
  'latency_ms',
  'prompt_tokens',
  'completion_tokens',
  'total_tokens',
  'occurred_at',
] as const;

const INSERT_SQL = `
  INSERT INTO "${AUDIT_LOG_SCHEMA}"."request_events" (${COLUMNS.map((c) => `"${c}"`).join(', ')})
  VALUES (${COLUMNS.map((_, index) => `$${index + 1}`).join(', ')})
  ON CONFLICT ("event_id") DO NOTHING
  RETURNING "event_id"`;

/** The `request_events` table: idempotent inserts and keyset-paginated reads. */
@Injectable()
export class RequestEventsRepository {
  private readonly repository: Repository<RequestEventEntity>;

  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {
    this.repository = dataSource.getRepository(RequestEventEntity);
  }

  /**
   * Stores a row unless one with its event id exists; resolves to whether it was new. The
   * statement commits on its own, so once this resolves the row is durable.
   */
  async insertIfNew(row: RequestEventRow): Promise<boolean> {
    const values = [
      row.eventId,
      row.requestId,
      row.tenantId,
      row.virtualKeyId,
      row.providerKeyId,
      row.level,
      row.requestedModel,
      row.upstreamModel,
      row.endpoint,
      row.status,
      row.errorCode,
      row.stream,
      row.attempts,
      row.latencyMs,
      row.promptTokens,
      row.completionTokens,
      row.totalTokens,
      row.occurredAt,
    ];
    const inserted: unknown[] = await this.dataSource.query(INSERT_SQL, values);

    return inserted.length > 0;
  }

  /** Up to `limit` rows of a tenant, newest first (ties broken by event id, descending). */
  async findPage(query: TrailPageQuery): Promise<RequestEventEntity[]> {
    const builder = this.repository
      .createQueryBuilder('event')
      .where('event.tenantId = :tenantId', { tenantId: query.tenantId })
      .orderBy('event.occurredAt', 'DESC')
      .addOrderBy('event.eventId', 'DESC')
      .limit(query.limit);
    if (query.requestId !== undefined) {
      builder.andWhere('event.requestId = :requestId', { requestId: query.requestId });
    }
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

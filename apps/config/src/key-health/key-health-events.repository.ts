import { Injectable } from '@nestjs/common';
import { KeyHealthEvent } from '@xai/events';
import { DataSource, QueryFailedError } from 'typeorm';

import { CONFIG_SCHEMA } from '../database/config-schema';
import { KeyHealthEventEntity } from './key-health-event.entity';

const TABLE = `"${CONFIG_SCHEMA}"."key_health_events"`;

/** SQLSTATE of a foreign-key violation. */
const FOREIGN_KEY_VIOLATION = '23503';

/** What became of an event handed to {@link KeyHealthEventsRepository.record}. */
export type RecordOutcome = 'recorded' | 'duplicate' | 'tenant_gone';

/** Key-health history in PostgreSQL. */
@Injectable()
export class KeyHealthEventsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Stores an event once (a replay is a no-op); an event of a deleted tenant is dropped. */
  async record(event: KeyHealthEvent): Promise<RecordOutcome> {
    try {
      const rows: unknown = await this.dataSource.query(
        `INSERT INTO ${TABLE} ("event_id", "tenant_id", "provider_key_id", "from_state",
           "to_state", "reason", "detail", "until", "occurred_at")
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT ("event_id") DO NOTHING
         RETURNING "event_id"`,
        [
          event.eventId,
          event.tenantId,
          event.providerKeyId,
          event.from,
          event.to,
          event.reason,
          event.detail,
          event.until,
          event.occurredAt,
        ],
      );

      return Array.isArray(rows) && rows.length > 0 ? 'recorded' : 'duplicate';
    } catch (error) {
      if (isForeignKeyViolation(error)) return 'tenant_gone';
      throw error;
    }
  }

  /** A key's transitions, oldest first. */
  listByKey(tenantId: string, providerKeyId: string): Promise<KeyHealthEventEntity[]> {
    return this.dataSource.manager.find(KeyHealthEventEntity, {
      where: { tenantId, providerKeyId },
      order: { occurredAt: 'ASC', eventId: 'ASC' },
    });
  }
}

function isForeignKeyViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError: unknown = error.driverError;

  return (
    typeof driverError === 'object' &&
    driverError !== null &&
    (driverError as { code?: unknown }).code === FOREIGN_KEY_VIOLATION
  );
}

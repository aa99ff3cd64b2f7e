import { Injectable } from '@nestjs/common';
import { AppLogger } from '@xai/common';
import type { RequestAuditEvent } from '@xai/events';

import { toRequestEventRow } from '../request-events/request-event.row';
import { RequestEventsRepository } from '../request-events/request-events.repository';

/**
 * Writes audit events to the trail, once each: a redelivered event (same event id) is
 * recognised and skipped, so the stream may deliver at least once.
 */
@Injectable()
export class AuditEventRecorder {
  private readonly logger = new AppLogger(AuditEventRecorder.name);

  constructor(private readonly events: RequestEventsRepository) {}

  /** Resolves once the event is committed (or was already); rejects when it could not be. */
  async record(event: RequestAuditEvent): Promise<void> {
    const inserted = await this.events.insertIfNew(toRequestEventRow(event));
    if (inserted) return;

    this.logger.debug('audit event already recorded; skipped', {
      eventId: event.eventId,
      requestId: event.requestId,
    });
  }
}

import { Injectable } from '@nestjs/common';
import { AppLogger } from '@xai/common';
import type { AuditStreamEvent } from '@xai/events';

import { ChainAppender } from '../chain/chain-appender';
import type { TrailRow } from '../chain/trail-entries';
import { toKeyUseEventRow } from '../key-use-events/key-use-event.row';
import { toManagementEventRow } from '../management-events/management-event.row';
import { PriceBook } from '../pricing/price-book.service';
import { toRequestEventRow } from '../request-events/request-event.row';

/**
 * Writes audit events to the trail, once each: a redelivered event (same event id) is
 * recognised and skipped, so the stream may deliver at least once. Requests are priced on the
 * way in.
 */
@Injectable()
export class AuditEventRecorder {
  private readonly logger = new AppLogger(AuditEventRecorder.name);

  constructor(
    private readonly chain: ChainAppender,
    private readonly prices: PriceBook,
  ) {}

  /** Resolves once the event is committed (or was already); rejects when it could not be. */
  async record(event: AuditStreamEvent): Promise<void> {
    const inserted = await this.chain.append(await this.toRow(event));
    if (inserted) return;

    this.logger.debug('audit event already recorded; skipped', {
      eventId: event.eventId,
      type: event.type,
    });
  }

  /**
   * Records the events of one stream read in one transaction; resolves once all are committed
   * (or were already), rejects when none could be.
   */
  async recordBatch(events: readonly AuditStreamEvent[]): Promise<void> {
    const rows: TrailRow[] = [];
    for (const event of events) rows.push(await this.toRow(event));
    const inserted = await this.chain.appendMany(rows);
    if (inserted < events.length) {
      this.logger.debug('audit events already recorded; skipped', {
        skipped: events.length - inserted,
      });
    }
  }

  private async toRow(event: AuditStreamEvent): Promise<TrailRow> {
    switch (event.type) {
      case 'request':
        return { kind: 'request', row: toRequestEventRow(event, await this.prices.price(event)) };
      case 'key_use':
        return { kind: 'key_use', row: toKeyUseEventRow(event) };
      case 'management_change':
        return { kind: 'management_change', row: toManagementEventRow(event) };
    }
  }
}

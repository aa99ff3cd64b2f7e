import { Injectable } from '@nestjs/common';
import { AppLogger } from '@xai/common';
import { type AuditStreamEvent, UnrecordableEventError } from '@xai/events';

import { ChainAppender } from '../chain/chain-appender';
import type { TrailRow } from '../chain/trail-entries';
import { toKeyUseEventRow } from '../key-use-events/key-use-event.row';
import { toManagementEventRow } from '../management-events/management-event.row';
import { PriceBook } from '../pricing/price-book.service';
import { toRequestEventRow } from '../request-events/request-event.row';
import { boundRequestUsage } from '../request-events/usage-bounds';
import { valueRefusal } from './database-refusal';

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

  /**
   * Resolves once the event is committed (or was already); rejects when it could not be, with
   * an {@link UnrecordableEventError} when the database refuses its values (it never will take
   * them, so the consumer dead-letters it rather than retrying it forever).
   */
  async record(event: AuditStreamEvent): Promise<void> {
    let inserted: boolean;
    try {
      // Pricing reads the database too: a value it refuses there is refused for good as well.
      inserted = await this.chain.append(await this.toRow(event));
    } catch (error) {
      const refusal = valueRefusal(error);
      throw refusal ? new UnrecordableEventError(refusal) : error;
    }
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
      case 'request': {
        const bounded = boundRequestUsage(event);
        if (bounded.flags.length > 0) {
          this.logger.warn('usage out of bounds; recorded capped and flagged', {
            eventId: event.eventId,
            flags: bounded.flags,
          });
        }
        const pricing = await this.prices.price(bounded.event);

        return { kind: 'request', row: toRequestEventRow(bounded.event, pricing, bounded.flags) };
      }
      case 'key_use':
        return { kind: 'key_use', row: toKeyUseEventRow(event) };
      case 'management_change':
        return { kind: 'management_change', row: toManagementEventRow(event) };
    }
  }
}

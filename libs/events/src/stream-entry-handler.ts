import type { ConsumerGroup } from './consumer-group';
import { decodeEntry, StreamEntry } from './stream-entry';
import type { StreamConsumerOptions } from './stream-consumer-options';
import type { StreamLogger } from './stream-logger';
import { UnrecordableEventError } from './unrecordable-event';

/** What became of one entry: acknowledge it, it was acknowledged as a dead letter, or retry it. */
type EntryOutcome = 'handled' | 'dead-lettered' | 'failed';

/** The parts of a consumer's options that say how its entries are handled. */
type HandlerOptions<E> = Pick<
  StreamConsumerOptions<E>,
  'stream' | 'schema' | 'handle' | 'handleBatch'
>;

/**
 * How a `StreamConsumer` handles the entries it read: decodes each, hands the valid
 * events to the handler (one by one, or as a batch that falls back to one by one when it
 * fails), moves entries that can never be handled to the dead-letter stream, and acknowledges
 * what was settled. Reading, retry timing and Redis outages stay with the consumer.
 */
export class StreamEntryHandler<E> {
  constructor(
    private readonly options: HandlerOptions<E>,
    private readonly logger: StreamLogger,
    private readonly deadLetterStream: string,
  ) {}

  /**
   * Handles a read in order and acknowledges in `group` what was settled (handled, or moved to
   * the dead-letter stream); false when any handle failed: those entries stay pending.
   */
  async process(group: ConsumerGroup, entries: StreamEntry[]): Promise<boolean> {
    if (this.options.handleBatch) {
      return this.processBatch(group, entries, this.options.handleBatch);
    }

    const handled: string[] = [];
    let allHandled = true;
    for (const entry of entries) {
      const outcome = await this.processEntry(group, entry);
      if (outcome === 'handled') handled.push(entry.id);
      if (outcome === 'failed') allHandled = false;
    }
    await group.ack(handled);

    return allHandled;
  }

  /** Like {@link process}, with every valid event of the read handed over at once. */
  private async processBatch(
    group: ConsumerGroup,
    entries: StreamEntry[],
    handleBatch: NonNullable<StreamConsumerOptions<E>['handleBatch']>,
  ): Promise<boolean> {
    const settled: string[] = [];
    const valid: { event: E; entryId: string }[] = [];
    for (const entry of entries) {
      const decoded =
        entry.fields === null ? undefined : decodeEntry(this.options.schema, entry.fields);
      if (!decoded) settled.push(entry.id);
      else if (decoded.ok) valid.push({ event: decoded.event, entryId: entry.id });
      else await this.deadLetter(group, entry, decoded.reason);
    }
    let allHandled = true;
    try {
      if (valid.length > 0) await handleBatch(valid);
      settled.push(...valid.map((item) => item.entryId));
    } catch (error) {
      this.logger.warn('batch handling failed; handling its events one by one', {
        stream: this.options.stream,
        count: valid.length,
        error: error instanceof Error ? error.message : String(error),
      });
      allHandled = await this.handleOneByOne(group, entries, valid, settled);
    }
    await group.ack(settled);

    return allHandled;
  }

  /**
   * After a failed batch: each event on its own, so one bad event cannot hold up the others.
   * Handled ones join `settled`; one its handler calls unrecordable is dead-lettered; the rest
   * stay pending for a retry. False when any stays pending.
   */
  private async handleOneByOne(
    group: ConsumerGroup,
    entries: StreamEntry[],
    valid: { event: E; entryId: string }[],
    settled: string[],
  ): Promise<boolean> {
    const byId = new Map(entries.map((entry) => [entry.id, entry]));
    let allHandled = true;
    for (const { event, entryId } of valid) {
      const entry = byId.get(entryId) ?? { id: entryId, fields: null };
      const outcome = await this.handleDecoded(group, entry, event);
      if (outcome === 'handled') settled.push(entryId);
      if (outcome === 'failed') allHandled = false;
    }

    return allHandled;
  }

  private async processEntry(group: ConsumerGroup, entry: StreamEntry): Promise<EntryOutcome> {
    // A pending entry deleted from the stream has nothing left to handle: acknowledge it.
    if (entry.fields === null) return 'handled';

    const decoded = decodeEntry(this.options.schema, entry.fields);
    if (!decoded.ok) {
      await this.deadLetter(group, entry, decoded.reason);

      return 'dead-lettered';
    }

    return this.handleDecoded(group, entry, decoded.event);
  }

  /** Handles one valid event; dead-letters it when the handler says it never can be. */
  private async handleDecoded(
    group: ConsumerGroup,
    entry: StreamEntry,
    event: E,
  ): Promise<EntryOutcome> {
    try {
      await this.options.handle(event, entry.id);

      return 'handled';
    } catch (error) {
      if (error instanceof UnrecordableEventError) {
        await this.deadLetter(group, entry, error.reason);

        return 'dead-lettered';
      }
      this.logger.warn('event handling failed; it stays pending for a retry', {
        stream: this.options.stream,
        entryId: entry.id,
        error: error instanceof Error ? error.message : String(error),
      });

      return 'failed';
    }
  }

  private async deadLetter(
    group: ConsumerGroup,
    entry: StreamEntry,
    reason: string,
  ): Promise<void> {
    const { deadLetterStream } = this;
    await group.deadLetter(entry, reason, deadLetterStream);
    this.logger.warn('event moved to the dead-letter stream', {
      stream: this.options.stream,
      entryId: entry.id,
      deadLetterStream,
      reason,
    });
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { Counter, Histogram, Meter } from '@opentelemetry/api';
import type { AuditStreamEvent } from '@xai/events';
import { METER, inConsumerSpan } from '@xai/telemetry';

/** Seconds: a batch commits in milliseconds; lag spans seconds to minutes during an outage. */
const BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300,
];

/** One audit stream entry as the consumer hands it over. */
export interface IngestedEntry {
  event: AuditStreamEvent;
  entryId: string;
}

/**
 * audit-log's ingest metrics and span: each stream read written to the trail is one consumer
 * span linked to the requests it records, and is counted by event type, timed, and measured
 * for lag (from the entry id's publish time to its commit).
 */
@Injectable()
export class AuditLogMetrics {
  private readonly ingested: Counter;
  private readonly failures: Counter;
  private readonly appendDuration: Histogram;
  private readonly lag: Histogram;

  constructor(@Inject(METER) meter: Meter) {
    this.ingested = meter.createCounter('xai.audit_log.events.ingested', {
      description: 'Audit events committed to the trail (replays included), by type',
      unit: '{event}',
    });
    this.failures = meter.createCounter('xai.audit_log.ingest.failures', {
      description: 'Stream reads that could not be committed (they are retried)',
      unit: '{batch}',
    });
    this.appendDuration = meter.createHistogram('xai.audit_log.chain.append.duration', {
      description: 'Duration of appending one stream read to the hash-chained trail',
      unit: 's',
      advice: { explicitBucketBoundaries: BUCKETS },
    });
    this.lag = meter.createHistogram('xai.audit_log.stream.lag', {
      description: 'Time from an event being published to its commit in the trail',
      unit: 's',
      advice: { explicitBucketBoundaries: BUCKETS },
    });
  }

  /** Runs `append` for a stream read, in a span linked to its requests, and measures it. */
  async ingest(entries: readonly IngestedEntry[], append: () => Promise<void>): Promise<void> {
    const traceparents = entries.map(({ event }) => traceparentOf(event));
    const startedAt = performance.now();
    try {
      await inConsumerSpan('audit-log ingest', traceparents, append);
    } catch (error) {
      this.failures.add(1);
      throw error;
    }
    this.appendDuration.record((performance.now() - startedAt) / 1000);
    const now = Date.now();
    for (const { event, entryId } of entries) {
      this.ingested.add(1, { 'xai.event.type': event.type });
      const publishedAt = Number.parseInt(entryId, 10);
      if (Number.isFinite(publishedAt)) this.lag.record(Math.max(0, now - publishedAt) / 1000);
    }
  }
}

function traceparentOf(event: AuditStreamEvent): string | undefined {
  return event.type === 'management_change' ? undefined : event.traceparent;
}

import { Inject, Injectable } from '@nestjs/common';
import type { Counter, Histogram, Meter } from '@opentelemetry/api';
import type { KeyUseEvent } from '@xai/events';
import { METER } from '@xai/telemetry';

/** Seconds; decrypts are sub-millisecond when warm, tens of ms with a database round trip. */
const DURATION_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
];

/** How one provider-key operation ended, as its key-use event says. */
type Operation = KeyUseEvent['operation'];
type Outcome = KeyUseEvent['outcome'];

/**
 * key-vault's metrics: each provider-key operation (decrypt, encrypt, destroy) counted by
 * outcome, with its latency. Labels are the operation and the outcome only: no tenant, key id
 * or credential.
 */
@Injectable()
export class KeyVaultMetrics {
  private readonly operations: Counter;
  private readonly duration: Histogram;

  constructor(@Inject(METER) meter: Meter) {
    this.operations = meter.createCounter('xai.key_vault.operations', {
      description: 'Provider-key operations (decrypt, encrypt, destroy), by outcome',
      unit: '{operation}',
    });
    this.duration = meter.createHistogram('xai.key_vault.operation.duration', {
      description: 'Duration of provider-key operations, by outcome',
      unit: 's',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    });
  }

  /** Records one finished operation that started at `startedAt` (`performance.now()`). */
  record(operation: Operation, outcome: Outcome, startedAt: number): void {
    const attributes = { 'xai.key.operation': operation, 'xai.outcome': outcome };
    this.operations.add(1, attributes);
    this.duration.record((performance.now() - startedAt) / 1000, attributes);
  }
}

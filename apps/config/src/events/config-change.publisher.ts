import { Inject, Injectable } from '@nestjs/common';
import type { Counter, Meter } from '@opentelemetry/api';
import { AppLogger } from '@xai/common';
import { ConfigChangeEvent, ConfigChangeEventSchema, StreamPublisher } from '@xai/events';
import { METER } from '@xai/telemetry';

/** What changed, without the timestamp the publisher adds. */
export type ConfigChange = Omit<ConfigChangeEvent, 'occurredAt'>;

/** Injection token of the stream publisher for config-change events. */
export const CONFIG_CHANGE_STREAM = Symbol('ConfigChangeStream');

/** How long a publish may hold up the answer to the caller. */
export const PUBLISH_TIMEOUT_MS = 1_000;

/**
 * Tells every gateway that a tenant's config changed, after the change is committed. A failed
 * publish is logged and swallowed: the change stands, and gateways still pick it up when their
 * cache entry's TTL runs out.
 */
@Injectable()
export class ConfigChangePublisher {
  private readonly logger = new AppLogger(ConfigChangePublisher.name);
  private readonly published: Counter;

  constructor(
    @Inject(CONFIG_CHANGE_STREAM) private readonly stream: StreamPublisher<ConfigChangeEvent>,
    @Inject(METER) meter: Meter,
  ) {
    this.published = meter.createCounter('xai.config.changes.published', {
      description: 'Config-change events sent to the gateways, by kind and outcome',
      unit: '{event}',
    });
  }

  /** Publishes one event; never throws. */
  async publish(change: ConfigChange): Promise<void> {
    const event = ConfigChangeEventSchema.parse({
      ...change,
      occurredAt: new Date().toISOString(),
    });
    try {
      await withTimeout(this.stream.publish(event), PUBLISH_TIMEOUT_MS);
      this.published.add(1, { 'xai.change.kind': event.kind, 'xai.outcome': 'ok' });
    } catch (error) {
      this.published.add(1, { 'xai.change.kind': event.kind, 'xai.outcome': 'error' });
      this.logger.warn('config change committed but not published; gateways rely on cache TTL', {
        tenantId: event.tenantId,
        version: event.version,
        kind: event.kind,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
  });

  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

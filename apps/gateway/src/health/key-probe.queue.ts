import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { AppLogger } from '@xai/common';
import { Queue } from 'bullmq';
import Redis from 'ioredis';

import { GATEWAY_CONFIG, GatewayConfig } from '../gateway.config';
import { HealthKey } from './key-health.types';

/** The BullMQ queue of half-open probes. */
export const KEY_PROBE_QUEUE = 'key-probes';

/** Replicas a probe may be handed to before the key is left to a live trial. */
const PROBE_ATTEMPTS = 4;

/** One probe: the key (no secret) and the end of the sleep it was scheduled for. */
export interface KeyProbeJob extends HealthKey {
  until: number;
}

/** BullMQ's key prefix under the installation's Redis prefix, so stacks never share queues. */
export function bullPrefix(config: GatewayConfig): string {
  return `${config.XAI_REDIS_PREFIX}bull`;
}

/**
 * Schedules a half-open probe for the moment a key's sleep ends, as a delayed BullMQ job that
 * any gateway replica may run. One job per key and sleep: a job id made of both, so replicas
 * scheduling the same sleep add it once.
 */
@Injectable()
export class KeyProbeQueue implements OnModuleDestroy {
  private readonly logger = new AppLogger(KeyProbeQueue.name);
  private readonly queue?: Queue<KeyProbeJob>;
  private readonly connection?: Redis;

  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    if (!config.XAI_KEY_PROBES) return;
    this.connection = new Redis(config.REDIS_URL, {
      connectionName: 'gateway-key-probes',
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
    });
    // Failures surface on `add`; ioredis would otherwise print each reconnect error itself.
    this.connection.on('error', () => undefined);
    this.queue = new Queue<KeyProbeJob>(KEY_PROBE_QUEUE, {
      connection: this.connection,
      prefix: bullPrefix(config),
    });
    this.queue.on('error', (error) =>
      this.logger.debug('probe queue error', { error: error.message }),
    );
  }

  /** Adds the probe of `key` for `until`; never throws. */
  async schedule(key: HealthKey, until: number, now: number): Promise<void> {
    if (!this.queue) return;
    const job: KeyProbeJob = {
      id: key.id,
      tenantId: key.tenantId,
      revision: key.revision,
      baseUrl: key.baseUrl,
      providerType: key.providerType,
      privateLiteralHost: key.privateLiteralHost,
      settings: key.settings,
      until,
    };
    try {
      await this.queue.add('probe', job, {
        jobId: `${key.id}-${until}`,
        delay: Math.max(0, until - now),
        // Retried only when the replica that ran it did not hold the key (see KeyProbeWorker).
        attempts: PROBE_ATTEMPTS,
        backoff: { type: 'fixed', delay: 1_000 },
        removeOnComplete: true,
        removeOnFail: 100,
      });
    } catch (error) {
      this.logger.warn('probe not scheduled; live traffic will try the key when it wakes', {
        providerKeyId: key.id,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue?.close();
    // BullMQ leaves a connection it was given open.
    this.connection?.disconnect();
  }
}

import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { AppLogger } from '@xai/common';
import { Worker } from 'bullmq';
import Redis from 'ioredis';

import { GATEWAY_CONFIG, GatewayConfig } from '../gateway.config';
import { KeyProber, ProbeOutcome } from './key-prober';
import { KEY_PROBE_QUEUE, KeyProbeJob, bullPrefix } from './key-probe.queue';

const CONCURRENCY = 4;

/**
 * Runs the half-open probes of the key-probe queue in this gateway (every replica runs one;
 * BullMQ hands each job to one of them). A probe whose verdict is a failure is not retried:
 * the verdict already put the key back to sleep, which schedules the next probe.
 */
@Injectable()
export class KeyProbeWorker implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new AppLogger(KeyProbeWorker.name);
  private worker?: Worker<KeyProbeJob, ProbeOutcome>;
  private connection?: Redis;

  constructor(
    private readonly prober: KeyProber,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  onModuleInit(): void {
    if (!this.config.XAI_KEY_PROBES) return;
    // A worker blocks on Redis and must wait out outages rather than fail its commands.
    this.connection = new Redis(this.config.REDIS_URL, {
      connectionName: 'gateway-key-probe-worker',
      maxRetriesPerRequest: null,
    });
    this.connection.on('error', () => undefined);
    this.worker = new Worker<KeyProbeJob, ProbeOutcome>(
      KEY_PROBE_QUEUE,
      (job) => this.run(job.data),
      { connection: this.connection, prefix: bullPrefix(this.config), concurrency: CONCURRENCY },
    );
    this.worker.on('error', (error) =>
      this.logger.debug('probe worker error', { error: error.message }),
    );
  }

  /**
   * Runs one probe. When this replica does not hold the key's plaintext, the job fails so that
   * BullMQ hands it out again, perhaps to a replica that does; after the last attempt the key
   * stays half-open and the next live call is its trial.
   */
  private async run(job: KeyProbeJob): Promise<ProbeOutcome> {
    const outcome = await this.prober.probe(job);
    if (outcome === 'not_cached') throw new Error("the key is not in this gateway's cache");

    return outcome;
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
    this.connection?.disconnect();
  }
}

import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { AppLogger } from '@xai/common';
import { Queue, Worker } from 'bullmq';
import Redis from 'ioredis';

import { GATEWAY_CONFIG, GatewayConfig } from '../gateway.config';
import { bullPrefix } from '../health/key-probe.queue';
import { CustodyJanitor } from './custody-janitor';

/** The BullMQ queue of custody janitor runs. */
export const CUSTODY_JANITOR_QUEUE = 'custody-janitor';

const SCHEDULER_ID = 'custody-janitor';

/**
 * Runs the {@link CustodyJanitor} as a BullMQ job scheduler: every replica upserts the same
 * schedule (so there is one), and each run goes to one replica. A failed run is logged and
 * the next one tries again; runs keep nothing but ids.
 */
@Injectable()
export class CustodyJanitorQueue implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new AppLogger(CustodyJanitorQueue.name);
  private queue?: Queue;
  private worker?: Worker;
  private connections: Redis[] = [];

  constructor(
    private readonly janitor: CustodyJanitor,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  onModuleInit(): void {
    const everyMs = this.config.XAI_CUSTODY_JANITOR_INTERVAL_SECONDS * 1000;
    if (everyMs === 0) return;
    // BullMQ needs connections that wait out Redis outages rather than fail their commands.
    const connection = (): Redis => {
      const redis = new Redis(this.config.REDIS_URL, {
        connectionName: 'gateway-custody-janitor',
        maxRetriesPerRequest: null,
      });
      redis.on('error', () => undefined);
      this.connections.push(redis);

      return redis;
    };
    const prefix = bullPrefix(this.config);
    this.queue = new Queue(CUSTODY_JANITOR_QUEUE, { connection: connection(), prefix });
    this.queue.on('error', (error) =>
      this.logger.debug('janitor queue error', { error: error.message }),
    );
    this.worker = new Worker(CUSTODY_JANITOR_QUEUE, async (job) => this.janitor.sweep(job.id), {
      connection: connection(),
      prefix,
      concurrency: 1,
    });
    this.worker.on('failed', (job, error) =>
      this.logger.warn('custody janitor run failed', { jobId: job?.id, error: error.message }),
    );
    this.worker.on('error', (error) =>
      this.logger.debug('janitor worker error', { error: error.message }),
    );
    void this.queue
      .upsertJobScheduler(
        SCHEDULER_ID,
        { every: everyMs },
        { name: 'sweep', opts: { removeOnComplete: 100, removeOnFail: 100 } },
      )
      .catch((error: unknown) =>
        this.logger.warn('custody janitor not scheduled', {
          error: error instanceof Error ? error.message : String(error),
        }),
      );
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
    await this.queue?.close();
    for (const redis of this.connections) redis.disconnect();
  }
}

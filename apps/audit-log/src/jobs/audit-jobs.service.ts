import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { AppLogger } from '@xai/common';
import { Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import Redis from 'ioredis';

import { AUDIT_LOG_CONFIG, AuditLogConfig } from '../audit-log.config';
import { RetentionService } from '../retention/retention.service';
import { UsageRollup } from '../usage/usage-rollup.service';

/** The BullMQ queue of audit-log's background work. */
export const AUDIT_JOBS_QUEUE = 'audit-log';

/** The jobs of {@link AUDIT_JOBS_QUEUE}. */
export type AuditJobName = 'rollup' | 'retention';

/**
 * Runs the usage rollups and the retention of raw events as BullMQ job schedulers, so with
 * several replicas each run happens once, on whichever replica is free. The schedulers are
 * re-declared periodically: a Redis restarted without persistence loses them, and work must
 * not stop silently.
 */
@Injectable()
export class AuditJobs implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new AppLogger(AuditJobs.name);
  private connection?: Redis;
  private queue?: Queue;
  private worker?: Worker;
  private redeclare?: NodeJS.Timeout;

  constructor(
    @Inject(AUDIT_LOG_CONFIG) private readonly config: AuditLogConfig,
    private readonly rollup: UsageRollup,
    private readonly retention: RetentionService,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.AUDIT_JOBS_ENABLED) return;

    // BullMQ's blocking reads need a connection that retries forever.
    this.connection = new Redis(this.config.REDIS_URL, { maxRetriesPerRequest: null });
    this.connection.on('error', (error: Error) =>
      this.logger.debug('jobs connection error', { error: error.message }),
    );
    const prefix = `${this.config.XAI_REDIS_PREFIX}bull`;
    this.queue = new Queue(AUDIT_JOBS_QUEUE, { connection: this.connection, prefix });
    this.queue.on('error', (error: Error) =>
      this.logger.debug('jobs queue error', { error: error.message }),
    );
    this.worker = new Worker(AUDIT_JOBS_QUEUE, (job: Job) => this.process(job), {
      connection: this.connection,
      prefix,
      concurrency: 1,
    });
    this.worker.on('error', (error: Error) =>
      this.logger.debug('jobs worker error', { error: error.message }),
    );
    this.worker.on('failed', (job, error) =>
      this.logger.warn('audit job failed', { job: job?.name, error: error.message }),
    );
    void this.declareSchedulers();
    this.redeclare = setInterval(() => void this.declareSchedulers(), 60_000);
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.redeclare);
    await this.worker?.close();
    await this.queue?.close();
    this.connection?.disconnect();
  }

  /** Runs one job; exported for tests through {@link AuditJobs.process}. */
  async process(job: Pick<Job, 'name'>): Promise<unknown> {
    switch (job.name as AuditJobName) {
      case 'rollup':
        return { events: await this.rollup.run() };
      case 'retention':
        // Rolled up first, so nothing is removed before it was counted.
        await this.rollup.run();

        return this.retention.run(this.config.AUDIT_RETENTION_DAYS);
      default:
        throw new UnrecoverableError(`unknown audit job "${job.name}"`);
    }
  }

  private async declareSchedulers(): Promise<void> {
    const queue = this.queue;
    if (!queue) return;
    try {
      await queue.upsertJobScheduler(
        'rollup',
        { every: this.config.AUDIT_ROLLUP_INTERVAL_MS },
        { name: 'rollup', opts: { removeOnComplete: 100, removeOnFail: 100 } },
      );
      await queue.upsertJobScheduler(
        'retention',
        { every: this.config.AUDIT_RETENTION_INTERVAL_MS },
        { name: 'retention', opts: { removeOnComplete: 10, removeOnFail: 100 } },
      );
    } catch (error) {
      this.logger.warn('could not declare the audit job schedulers; will retry', {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}

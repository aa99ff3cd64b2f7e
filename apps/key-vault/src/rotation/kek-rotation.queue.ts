import { randomUUID } from 'node:crypto';

import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { AppLogger } from '@xai/common';
import type { GetKekRotationStatusResponse, KekRotationState } from '@xai/contracts';
import { Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import Redis from 'ioredis';

import { KeyVaultErrorCode } from '../errors/key-vault-error-code';
import { KeyVaultException } from '../errors/key-vault.exception';
import { KEY_VAULT_CONFIG, KeyVaultConfig } from '../key-vault.config';
import { KekRotationService, RotationTotals } from './kek-rotation.service';

/** The BullMQ queue of KEK rotation jobs. */
export const KEK_ROTATION_QUEUE = 'kek-rotation';

/** What a rotation job carries: versions and sizes only, never key material. */
interface RotationJobData {
  targetVersion: number;
  batchSize: number;
}

type RotationJob = Job<RotationJobData, RotationTotals>;

const STATES: Record<string, KekRotationState> = {
  waiting: 'KEK_ROTATION_STATE_QUEUED',
  delayed: 'KEK_ROTATION_STATE_QUEUED',
  prioritized: 'KEK_ROTATION_STATE_QUEUED',
  'waiting-children': 'KEK_ROTATION_STATE_QUEUED',
  active: 'KEK_ROTATION_STATE_RUNNING',
  completed: 'KEK_ROTATION_STATE_COMPLETED',
  failed: 'KEK_ROTATION_STATE_FAILED',
};

/**
 * Runs KEK rotations as BullMQ jobs in key-vault (DESIGN.md section 8), one at a time per
 * process. A job whose process dies is taken up again by BullMQ's stalled-job check, and a
 * rerun resumes where the database says the work stands, so neither loses nor repeats work.
 * A job rewraps to the version it was queued for, whichever replica runs it; a replica
 * without that version, or a slot that does not open, fails the job at once with the reason
 * in its status (no retry would change either).
 */
@Injectable()
export class KekRotationQueue implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new AppLogger(KekRotationQueue.name);
  private readonly queueConnection: Redis;
  private readonly workerConnection: Redis;
  private readonly queue: Queue<RotationJobData, RotationTotals>;
  private worker?: Worker<RotationJobData, RotationTotals>;
  private readonly prefix: string;

  constructor(
    @Inject(KEY_VAULT_CONFIG) private readonly config: KeyVaultConfig,
    private readonly rotation: KekRotationService,
  ) {
    this.prefix = `${config.XAI_REDIS_PREFIX}bull`;
    // BullMQ needs connections that retry commands for ever (its workers block on Redis).
    this.queueConnection = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
    this.workerConnection = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
    this.queue = new Queue(KEK_ROTATION_QUEUE, {
      connection: this.queueConnection,
      prefix: this.prefix,
    });
  }

  onModuleInit(): void {
    if (!this.config.XAI_KEK_ROTATION_WORKER) return;
    this.worker = new Worker<RotationJobData, RotationTotals>(
      KEK_ROTATION_QUEUE,
      async (job) => this.process(job),
      { connection: this.workerConnection, prefix: this.prefix, concurrency: 1 },
    );
    this.worker.on('failed', (job, error) => {
      this.logger.warn('KEK rotation attempt failed', { jobId: job?.id, error: error.message });
    });
    this.worker.on('error', (error) => {
      this.logger.warn('KEK rotation worker error', { error: error.message });
    });
  }

  async onModuleDestroy(): Promise<void> {
    // Not waiting for a running job: it is resumable, and shutdown must not hang on it.
    await this.worker?.close(true);
    await this.queue.close();
    this.queueConnection.disconnect();
    this.workerConnection.disconnect();
  }

  /**
   * Queues a rotation to `requestedVersion` (0: this replica's newest); resolves the job id.
   *
   * @throws KeyVaultException `KEK_VERSION_UNAVAILABLE` when this replica's ring lacks it.
   */
  async start(
    batchSize: number,
    requestedVersion = 0,
  ): Promise<{ jobId: string; targetVersion: number }> {
    const targetVersion = this.rotation.targetVersion(requestedVersion);
    const data = { targetVersion, batchSize: batchSize || this.config.XAI_KEK_ROTATION_BATCH_SIZE };
    const job = await this.queue.add('rotate', data, {
      jobId: randomUUID(),
      attempts: 5,
      backoff: { type: 'exponential', delay: 2_000 },
    });
    this.logger.info('KEK rotation queued', { jobId: job.id, ...data });

    return { jobId: job.id ?? '', targetVersion };
  }

  /** A job's state and progress, without the current plan. */
  async status(jobId: string): Promise<Omit<GetKekRotationStatusResponse, 'plan'>> {
    // The state first, then the job: a job read first could finish in between, and would then
    // be reported finished without its outcome (no return value, no failure reason).
    const state = STATES[await this.queue.getJobState(jobId)];
    const job: RotationJob | undefined = state ? await this.queue.getJob(jobId) : undefined;
    if (!job || !state) {
      throw new KeyVaultException(KeyVaultErrorCode.RotationJobNotFound, 'no such rotation job');
    }
    const totals = job.returnvalue ?? progressOf(job);

    return {
      state,
      targetVersion: job.data.targetVersion,
      ...totals,
      error: state === 'KEK_ROTATION_STATE_FAILED' ? (job.failedReason ?? '') : '',
    };
  }

  private async process(job: RotationJob): Promise<RotationTotals> {
    let totals: RotationTotals;
    try {
      totals = await this.rotation.rewrapAll({
        targetVersion: job.data.targetVersion,
        batchSize: job.data.batchSize,
        pauseMs: this.config.XAI_KEK_ROTATION_BATCH_PAUSE_MS,
        onProgress: (progress) => job.updateProgress({ ...progress }),
      });
    } catch (error) {
      throw this.failure(job, error);
    }
    if (totals.failed > 0) {
      throw new UnrecoverableError(
        `${totals.failed} slot(s) could not be rewrapped: their outer seal did not open (the key-vault log names them); the other slots are on KEK version ${job.data.targetVersion}`,
      );
    }

    return totals;
  }

  /**
   * What a failed run reports: a refusal of this replica (the target version is not loaded) is
   * final, with its reason; anything else is retried, reported without internal detail (which
   * stays in the log by job id).
   */
  private failure(job: RotationJob, error: unknown): Error {
    if (
      error instanceof KeyVaultException &&
      error.code === KeyVaultErrorCode.KekVersionUnavailable
    ) {
      return new UnrecoverableError(error.message);
    }
    if (error instanceof KeyVaultException) return new Error(error.message);
    this.logger.error('KEK rotation run failed', {
      jobId: job.id,
      error: error instanceof Error ? error.message : String(error),
    });

    return new Error('the rotation stopped on an internal error; the key-vault log has the detail');
  }
}

function progressOf(job: RotationJob): RotationTotals {
  const progress = job.progress;
  if (typeof progress !== 'object' || progress === null) {
    return { rewrapped: 0, skipped: 0, failed: 0 };
  }
  const read = (name: keyof RotationTotals): number => {
    const value = (progress as Record<string, unknown>)[name];

    return typeof value === 'number' ? value : 0;
  };

  return { rewrapped: read('rewrapped'), skipped: read('skipped'), failed: read('failed') };
}

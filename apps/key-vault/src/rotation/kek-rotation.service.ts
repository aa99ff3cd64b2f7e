import { setTimeout as sleep } from 'node:timers/promises';

import { Injectable } from '@nestjs/common';
import { AppLogger } from '@xai/common';
import type { PlanKekRotationResponse } from '@xai/contracts';

import { EnvelopeCipher } from '../custody/envelope.cipher';
import { KeyVaultErrorCode } from '../errors/key-vault-error-code';
import { KeyVaultException } from '../errors/key-vault.exception';
import { KekService } from '../kek/kek.service';
import { KekRotationRepository, RotatableSlot, SlotCursor } from './kek-rotation.repository';

/** What one run of the rotation did. */
export interface RotationTotals {
  rewrapped: number;
  skipped: number;
  failed: number;
}

/** How a run goes through the slots. */
export interface RotationRun {
  /** The KEK version every slot ends on; it must be loaded here. */
  targetVersion: number;
  batchSize: number;
  pauseMs: number;
  /** Called after every batch with the totals so far. */
  onProgress?: (totals: RotationTotals) => Promise<void>;
}

/**
 * KEK rotation (DESIGN.md section 5): rewraps the outer seal of every slot not on the target
 * KEK version (by default the newest) under it, in batches, with compare-and-set writes. The database is the
 * only state: a run that is killed, failed or rerun simply finds fewer slots left, so running
 * it again resumes it, and running it when nothing is left changes nothing. No credential is
 * involved: the inner seals, and so the DEKs, stay out of reach.
 */
@Injectable()
export class KekRotationService {
  private readonly logger = new AppLogger(KekRotationService.name);

  constructor(
    private readonly kek: KekService,
    private readonly cipher: EnvelopeCipher,
    private readonly slots: KekRotationRepository,
  ) {}

  /** The dry run: slots per version and which versions may retire. Writes nothing. */
  async plan(): Promise<PlanKekRotationResponse> {
    const ring = this.kek.keyRing();
    const target = ring.newestVersion;
    const counts = await this.slots.slotsPerVersion();
    const versions = [...new Set([...ring.versions, ...counts.keys()])].sort((a, b) => a - b);
    const usage = versions.map((kekVersion) => ({
      kekVersion,
      slots: counts.get(kekVersion) ?? 0,
      loaded: ring.versions.includes(kekVersion),
    }));

    return {
      targetVersion: target,
      versions: usage,
      slotsToRewrap: usage
        .filter((entry) => entry.kekVersion !== target)
        .reduce((sum, entry) => sum + entry.slots, 0),
      retirableVersions: usage
        .filter((entry) => entry.loaded && entry.slots === 0 && entry.kekVersion !== target)
        .map((entry) => entry.kekVersion),
    };
  }

  /**
   * The version a rotation asked for `requested` (0: the newest loaded) rewraps to.
   *
   * @throws KeyVaultException `KEK_VERSION_UNAVAILABLE` when this replica's ring lacks it.
   */
  targetVersion(requested: number): number {
    const ring = this.kek.keyRing();
    const target = requested || ring.newestVersion;
    if (!ring.versions.includes(target)) {
      throw new KeyVaultException(
        KeyVaultErrorCode.KekVersionUnavailable,
        `KEK version ${target} is not loaded in this key-vault replica (it has ${ring.versions.join(', ')})`,
      );
    }

    return target;
  }

  /**
   * Rewraps every slot not on `run.targetVersion` to it; resolves what it did. Never rewraps to
   * another version: a ring without the target refuses the whole run.
   *
   * @throws KeyVaultException `KEK_VERSION_UNAVAILABLE` when the target is not loaded here.
   */
  async rewrapAll(run: RotationRun): Promise<RotationTotals> {
    const target = this.targetVersion(run.targetVersion);
    const totals: RotationTotals = { rewrapped: 0, skipped: 0, failed: 0 };
    let cursor: SlotCursor | undefined;
    for (;;) {
      const batch = await this.slots.nextBatch(target, cursor, run.batchSize);
      if (batch.length === 0) break;
      await this.rewrapBatch(batch, target, totals);
      cursor = batch[batch.length - 1];
      await run.onProgress?.({ ...totals });
      if (run.pauseMs > 0) await sleep(run.pauseMs);
    }
    this.logger.info('KEK rotation run finished', { targetVersion: target, ...totals });

    return totals;
  }

  private async rewrapBatch(
    batch: readonly RotatableSlot[],
    target: number,
    totals: RotationTotals,
  ): Promise<void> {
    const updates: { before: RotatableSlot; after: RotatableSlot }[] = [];
    for (const before of batch) {
      const after = this.rewrapOne(before, target);
      if (after) updates.push({ before, after });
      else totals.failed += 1;
    }
    const written = await this.slots.compareAndSet(updates);
    totals.rewrapped += written;
    totals.skipped += updates.length - written;
  }

  /** The slot rewrapped, or `undefined` when its outer seal does not open (logged by id). */
  private rewrapOne(slot: RotatableSlot, target: number): RotatableSlot | undefined {
    const address = { tenantId: slot.tenantId, slotId: slot.slotId };
    try {
      return { ...address, ...this.cipher.rewrapSlot(address, slot, target) };
    } catch (error) {
      if (!(error instanceof KeyVaultException)) throw error;
      this.logger.warn('slot not rewrapped', {
        ...address,
        kekVersion: slot.kekVersion,
        code: error.code,
      });

      return undefined;
    }
  }
}

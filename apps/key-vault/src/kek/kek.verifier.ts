import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppLogger } from '@xai/common';
import { KeyRing, kekCheckValue, matchesKekCheckValue } from '@xai/crypto';

import { opensOuterSeal } from '../custody/envelope.cipher';
import { KekCheckRepository } from './kek-check.repository';
import { KekService } from './kek.service';

const RETRY_MS = 2_000;

/**
 * Checks the loaded KEK against the database before key-vault unseals (DESIGN.md section 5):
 * every loaded version must match its stored check value, every version a slot uses must be
 * loaded, a version used before without a check value must open one of its slots, and no
 * version newer than those loaded may have been used here. Then the check values of new
 * versions are stored. A wrong KEK keeps key-vault sealed; a database that does not answer
 * yet is retried.
 */
@Injectable()
export class KekVerifier implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new AppLogger(KekVerifier.name);
  private timer?: NodeJS.Timeout;
  private lastGap = '[]';

  constructor(
    private readonly kek: KekService,
    private readonly checks: KekCheckRepository,
  ) {}

  onApplicationBootstrap(): void {
    void this.attempt();
  }

  onApplicationShutdown(): void {
    clearTimeout(this.timer);
  }

  /** Runs the checks once; resolves the problem found, or `undefined` when the KEK is right. */
  async problemWith(ring: KeyRing): Promise<string | undefined> {
    const stored = await this.checks.checks();
    const problem =
      mismatchedCheck(ring, stored) ??
      newerVersionUsed(ring, stored) ??
      (await this.unloadedVersionInUse(ring)) ??
      (await this.uncheckedVersionThatFails(ring, stored));
    if (problem) return problem;

    await this.checks.insertMissing(newCheckValues(ring, stored));

    // Another replica may have stored its own check values meanwhile: read them back.
    return mismatchedCheck(ring, await this.checks.checks());
  }

  /**
   * Whether the verified ring still covers what the database uses: another replica may have
   * rotated slots to a version this one was not given. Resolves the problem, or `undefined`.
   */
  async ringGap(): Promise<string | undefined> {
    const ring = this.kek.keyRing();
    const missing = [...(await this.checks.slotsPerVersion())].filter(
      ([version]) => !ring.versions.includes(version),
    );
    this.reportGap(ring, missing);

    return missing.length === 0
      ? undefined
      : `slots are sealed under KEK version ${Math.max(...missing.map(([version]) => version))}, which is not loaded`;
  }

  // Logged once per change, not on every readiness probe: which versions, how many slots each.
  private reportGap(ring: KeyRing, missing: ReadonlyArray<[number, number]>): void {
    const gap = JSON.stringify(missing);
    if (gap === this.lastGap) return;

    this.lastGap = gap;
    if (missing.length === 0) return;
    this.logger.warn('not ready: credential slots use KEK versions this replica does not hold', {
      loadedVersions: ring.versions,
      missing: missing.map(([version, slots]) => ({ kekVersion: version, slots })),
    });
  }

  private async attempt(): Promise<void> {
    const ring = this.kek.unverifiedRing;
    if (!ring) return;
    try {
      const problem = await this.problemWith(ring);
      if (problem) this.kek.markWrong(problem);
      else this.kek.markVerified();
    } catch (error) {
      this.logger.warn('KEK not verified yet: the database did not answer', {
        error: error instanceof Error ? error.message : String(error),
      });
      this.timer = setTimeout(() => void this.attempt(), RETRY_MS);
    }
  }

  private async unloadedVersionInUse(ring: KeyRing): Promise<string | undefined> {
    const missing = (await this.checks.versionsInUse()).find(
      (version) => !ring.versions.includes(version),
    );

    return missing === undefined
      ? undefined
      : `slots are sealed under KEK version ${missing}, which is not loaded`;
  }

  private async uncheckedVersionThatFails(
    ring: KeyRing,
    stored: ReadonlyMap<number, Buffer>,
  ): Promise<string | undefined> {
    for (const version of ring.versions.filter((candidate) => !stored.has(candidate))) {
      const sample = await this.checks.sampleSlot(version);
      if (sample && !opensOuterSeal(ring.key(version), sample)) {
        return `a slot sealed under KEK version ${version} does not open with the loaded key`;
      }
    }

    return undefined;
  }
}

function mismatchedCheck(ring: KeyRing, stored: ReadonlyMap<number, Buffer>): string | undefined {
  const wrong = ring.versions.find((version) => {
    const check = stored.get(version);

    return check !== undefined && !matchesKekCheckValue(ring.key(version), version, check);
  });

  return wrong === undefined ? undefined : `KEK version ${wrong} does not match its check value`;
}

function newerVersionUsed(ring: KeyRing, stored: ReadonlyMap<number, Buffer>): string | undefined {
  const newest = Math.max(0, ...stored.keys());

  return newest > ring.newestVersion
    ? `KEK version ${newest} was used here before but is not loaded`
    : undefined;
}

function newCheckValues(ring: KeyRing, stored: ReadonlyMap<number, Buffer>): Map<number, Buffer> {
  return new Map(
    ring.versions
      .filter((version) => !stored.has(version))
      .map((version) => [version, kekCheckValue(ring.key(version), version)]),
  );
}

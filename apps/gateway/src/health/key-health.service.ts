import { Inject, Injectable, Optional } from '@nestjs/common';
import { AppLogger } from '@xai/common';

import { GATEWAY_CONFIG, GatewayConfig } from '../gateway.config';
import { AttemptVerdict } from './attempt-verdict';
import { HealthStep, KeyHealthMachine } from './key-health.machine';
import { KeyHealthPublisher } from './key-health.publisher';
import { StoredHealth, KeyHealthStore } from './key-health.store';
import {
  Clock,
  HealthInput,
  HealthKey,
  KeyHealthRecord,
  KeyStatus,
  SYSTEM_CLOCK,
} from './key-health.types';
import { KeyProbeQueue } from './key-probe.queue';
import { keyHealthSettings } from './key-health.settings';

/** Injection token of the health code's {@link Clock} (tests swap in a fake one). */
export const HEALTH_CLOCK = Symbol('HEALTH_CLOCK');

/** Compare-and-set rounds before a write gives up to a very busy key. */
const MAX_CAS_ROUNDS = 8;
const MAX_CACHED = 100_000;

/**
 * The health of provider keys as every replica sees it (DESIGN.md section 6): reads statuses
 * for routing (from a very short local cache, so a hot level costs one Redis read per cache
 * period; a call that finds the period just over routes on what was read while the key is read
 * again in the background, so no call waits on Redis unless its key's health is older than
 * `XAI_KEY_HEALTH_STALE_MS`), applies verdicts of calls and probes through
 * {@link KeyHealthMachine} with atomic compare-and-sets, announces transitions, and schedules a
 * half-open probe for each sleep.
 * When Redis cannot be read, every key counts as active: routing on stale health beats
 * refusing calls.
 */
@Injectable()
export class KeyHealthService {
  private readonly logger = new AppLogger(KeyHealthService.name);
  private readonly machine: KeyHealthMachine;
  private readonly cache = new Map<string, { record: KeyHealthRecord | null; at: number }>();
  private readonly cacheMs: number;
  private readonly staleMs: number;
  /** Reads in flight, by key id. */
  private readonly reading = new Map<string, Promise<void>>();

  constructor(
    private readonly store: KeyHealthStore,
    private readonly publisher: KeyHealthPublisher,
    private readonly probes: KeyProbeQueue,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    @Optional() @Inject(HEALTH_CLOCK) private readonly clock: Clock = SYSTEM_CLOCK,
  ) {
    this.machine = new KeyHealthMachine(keyHealthSettings(config));
    this.cacheMs = config.XAI_KEY_HEALTH_CACHE_MS;
    // With no cache period every call reads, as asked.
    this.staleMs = this.cacheMs > 0 ? config.XAI_KEY_HEALTH_STALE_MS : 0;
  }

  /** The status of each key; `fresh` skips the local cache (for what owners are shown). */
  async statuses(
    keys: readonly HealthKey[],
    options: { fresh?: boolean } = {},
  ): Promise<Map<string, KeyStatus>> {
    const records = await this.records(keys, options.fresh === true);
    const now = this.clock.now();
    const statuses = new Map<string, KeyStatus>();
    for (const key of keys) {
      const record = records.get(key.id) ?? null;
      if (this.machine.isRevived(record, key.revision)) void this.apply(key, revive(key));
      statuses.set(key.id, this.machine.status(record, now, key.revision));
    }

    return statuses;
  }

  /** The full record of each key (for `/x-conf`), read fresh. */
  async records(keys: readonly HealthKey[], fresh = true): Promise<Map<string, KeyHealthRecord>> {
    const now = this.clock.now();
    const waits: Promise<void>[] = [];
    const unread: string[] = [];
    const stale: string[] = [];
    for (const key of keys) {
      const age = fresh ? Infinity : this.ageOf(key.id, now);
      if (age < this.cacheMs) continue;
      // When a cache period ends under load, one read serves every call waiting on the key.
      const reading = fresh ? undefined : this.reading.get(key.id);
      // Read recently: this call routes on it while it is read again for the calls after.
      if (age < this.staleMs) {
        if (!reading) stale.push(key.id);
      } else if (reading) waits.push(reading);
      else unread.push(key.id);
    }
    if (stale.length > 0) void this.refresh(stale, now);
    if (unread.length > 0) waits.push(this.refresh(unread, now));
    await Promise.all(waits);
    const records = new Map<string, KeyHealthRecord>();
    for (const key of keys) {
      const record = this.cache.get(key.id)?.record;
      if (record) records.set(key.id, record);
    }

    return records;
  }

  /**
   * How many keys in the local cache are in each state, as this replica last read them (for
   * the key-state gauge; no Redis read). Keys never read count nowhere.
   */
  stateCounts(): Record<KeyStatus['kind'], number> {
    const counts = { active: 0, sleeping: 0, half_open: 0, dead: 0 };
    const now = this.clock.now();
    for (const { record } of this.cache.values()) counts[this.machine.status(record, now).kind]++;

    return counts;
  }

  /** Applies the verdict of a call or probe to its key; resolves to the key's status after. */
  async report(key: HealthKey, verdict: AttemptVerdict): Promise<KeyStatus> {
    // Success costs no Redis round trip unless this key was asleep (a half-open trial).
    const succeeded = toInput(verdict, key.revision).type === 'success';
    if (succeeded && this.cache.get(key.id)?.record?.state !== 'sleeping')
      return { kind: 'active' };

    const step = await this.apply(key, toInput(verdict, key.revision));

    return this.machine.status(step?.record ?? null, this.clock.now(), key.revision);
  }

  /** Takes the one half-open trial of a key; false when it is not half-open or already taken. */
  async claimTrial(key: HealthKey): Promise<boolean> {
    const step = await this.apply(key, { type: 'claim_trial' });

    return step?.claimed === true;
  }

  private async apply(key: HealthKey, input: HealthInput): Promise<HealthStep | null> {
    try {
      for (let round = 0; round < MAX_CAS_ROUNDS; round++) {
        const step = await this.tryApply(key, input);
        if (step) return step;
      }
      this.logger.warn('key health not updated: too much contention', { providerKeyId: key.id });
    } catch (error) {
      this.logger.warn('key health not updated: redis unavailable', {
        providerKeyId: key.id,
        error: error instanceof Error ? error.message : String(error),
      });
    }

    return null;
  }

  /** One compare-and-set round; null when another replica wrote first. */
  private async tryApply(key: HealthKey, input: HealthInput): Promise<HealthStep | null> {
    const [stored] = await this.store.read([key.id]);
    const now = this.clock.now();
    const step = this.machine.apply(stored.record, input, { now, tenantId: key.tenantId });
    if (!step.changed) {
      this.remember(key.id, stored.record, now);

      return step;
    }
    const ttlMs = step.record ? this.machine.ttlMs(step.record, now) : 1;
    if (!(await this.store.compareAndSet(key.id, stored.raw, step.record, ttlMs))) return null;

    this.remember(key.id, step.record, now);
    this.announce(key, stored.record, step, now);

    return step;
  }

  private announce(
    key: HealthKey,
    before: KeyHealthRecord | null,
    step: HealthStep,
    now: number,
  ): void {
    if (step.transition) {
      void this.publisher.publish(
        { tenantId: key.tenantId, providerKeyId: key.id },
        step.transition,
        now,
      );
    }
    const until = step.record?.state === 'sleeping' ? step.record.until : null;
    if (until !== null && until !== before?.until) void this.probes.schedule(key, until, now);
  }

  /** Reads `ids` from Redis into the cache; calls arriving meanwhile wait for this read. */
  private refresh(ids: readonly string[], now: number): Promise<void> {
    const read = this.readQuietly([...ids]).then((stored) => {
      ids.forEach((id, index) => {
        this.remember(id, stored[index]?.record ?? null, now);
        if (this.reading.get(id) === read) this.reading.delete(id);
      });
    });
    for (const id of ids) this.reading.set(id, read);

    return read;
  }

  private async readQuietly(ids: string[]): Promise<StoredHealth[]> {
    try {
      return await this.store.read(ids);
    } catch (error) {
      this.logger.warn('key health unreadable; routing as if every key were active', {
        error: error instanceof Error ? error.message : String(error),
      });

      return [];
    }
  }

  /** How long ago `id` was read into the cache; Infinity when it is not there. */
  private ageOf(id: string, now: number): number {
    const entry = this.cache.get(id);

    return entry === undefined ? Infinity : now - entry.at;
  }

  private remember(id: string, record: KeyHealthRecord | null, now: number): void {
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(id, { record, at: now });
  }
}

function toInput(verdict: AttemptVerdict, keyRevision: string): HealthInput {
  switch (verdict.kind) {
    case 'success':
    case 'client_error':
    case 'model_refused':
      // A refusal caused by the request (or of one model only) still proves the key works.
      return { type: 'success' };
    case 'rate_limited': {
      const { retryAfterMs, detail } = verdict;

      return { type: 'rate_limited', retryAfterMs, detail, keyRevision };
    }
    case 'transient':
      return { type: 'transient', reason: verdict.reason, detail: verdict.detail, keyRevision };
    case 'fatal':
      return { type: 'fatal', reason: verdict.reason, detail: verdict.detail, keyRevision };
  }
}

function revive(key: HealthKey): HealthInput {
  return { type: 'revive', keyRevision: key.revision };
}

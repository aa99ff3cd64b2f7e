import {
  FatalReason,
  HealthInput,
  HealthTransition,
  KeyHealthReason,
  KeyHealthRecord,
  KeyHealthSettings,
  KeyStatus,
} from './key-health.types';

/** The outcome of applying one input: the record to store, and what changed. */
export interface HealthStep {
  /** The record after the input; null means "no record" (healthy, nothing to remember). */
  record: KeyHealthRecord | null;
  /** Whether the stored record must be replaced. */
  changed: boolean;
  /** Set when the key changed state (or failed a half-open trial): to be published. */
  transition?: HealthTransition;
  /** For `claim_trial`: whether this caller got the trial. */
  claimed?: boolean;
}

/** Dead keys are remembered this long, then forgotten (one more call would find them out). */
const DEAD_TTL_MS = 30 * 24 * 3600 * 1000;

const UNCHANGED = (record: KeyHealthRecord | null): HealthStep => ({ record, changed: false });

/**
 * The health state machine of one provider key (DESIGN.md section 6), as a pure function of
 * the stored record, the input and the time:
 *
 * - active → sleeping on a 429 (for the provider's hint, else a growing backoff with jitter),
 *   or after `failureThreshold` transient failures within `failureWindowMs`;
 * - sleeping → half-open when the sleep ends: one trial call (or probe) at a time;
 * - half-open → active when the trial succeeds, → sleeping again (longer) when it fails;
 * - any → dead on 401/403 or a billing/quota refusal; dead → active only when the owner changes
 *   the key (its revision differs); a sleeping key the owner changes wakes at once the same way.
 *
 * Answers from calls that were already in flight when the state changed do not undo it.
 */
export class KeyHealthMachine {
  constructor(
    private readonly settings: KeyHealthSettings,
    private readonly random: () => number = Math.random,
  ) {}

  /** Applies one input at time `now`; `tenantId` labels a record created here. */
  apply(
    record: KeyHealthRecord | null,
    input: HealthInput,
    context: { now: number; tenantId: string },
  ): HealthStep {
    switch (input.type) {
      case 'success':
        return this.onSuccess(record, context.now);
      case 'rate_limited':
        return this.onRateLimited(record, input, context);
      case 'transient':
        return this.onTransient(record, input, context);
      case 'fatal':
        return this.onFatal(record, input.reason, input.detail, input.keyRevision, context);
      case 'claim_trial':
        return this.onClaim(record, context.now);
      case 'revive':
        return this.onRevive(record, input.keyRevision);
    }
  }

  /**
   * What the router may do with the key now. A dead or sleeping key whose revision no longer
   * matches the key's current one was changed by its owner since, and counts as active.
   */
  status(record: KeyHealthRecord | null, now: number, keyRevision?: string): KeyStatus {
    if (!record || record.state === 'active') return { kind: 'active' };
    if (keyRevision !== undefined && this.isRevived(record, keyRevision)) return { kind: 'active' };
    if (record.state === 'dead') {
      return { kind: 'dead', since: record.since, reason: record.reason, detail: record.detail };
    }
    const until = record.until ?? 0;
    if (now < until) {
      return { kind: 'sleeping', until, reason: record.reason, detail: record.detail };
    }

    return { kind: 'half_open', until, reason: record.reason, busy: trialBusy(record, now) };
  }

  /**
   * Whether a dead or sleeping record is outdated by a change of the key (see {@link status}).
   * A sleeping record that does not know its key's revision (written before they were kept)
   * sleeps on.
   */
  isRevived(record: KeyHealthRecord | null, keyRevision: string): boolean {
    if (record?.state === 'dead') return record.keyRevision !== keyRevision;

    return (
      record?.state === 'sleeping' &&
      record.keyRevision !== null &&
      record.keyRevision !== keyRevision
    );
  }

  /** How long Redis should keep a record written at `now`. */
  ttlMs(record: KeyHealthRecord, now: number): number {
    if (record.state === 'dead') return DEAD_TTL_MS;
    const strikeLeft =
      record.lastStrikeAt === null ? 0 : record.lastStrikeAt + this.settings.strikeDecayMs - now;
    const sleepLeft = record.until === null ? 0 : record.until - now;

    return Math.max(1_000, this.settings.failureWindowMs, strikeLeft, sleepLeft + strikeLeft);
  }

  private onSuccess(record: KeyHealthRecord | null, now: number): HealthStep {
    if (!record || record.state !== 'sleeping' || now < (record.until ?? 0)) {
      return UNCHANGED(record);
    }
    // The trial succeeded. Strikes are kept for a while, so a quick relapse sleeps longer.
    const recovered: KeyHealthRecord = {
      ...blank(record.tenantId, now),
      strikes: record.strikes,
      lastStrikeAt: record.lastStrikeAt,
    };

    return {
      record: recovered,
      changed: true,
      transition: {
        from: 'sleeping',
        to: 'active',
        reason: 'recovered',
        detail: null,
        until: null,
      },
    };
  }

  private onRateLimited(
    record: KeyHealthRecord | null,
    input: Extract<HealthInput, { type: 'rate_limited' }>,
    context: { now: number; tenantId: string },
  ): HealthStep {
    if (record?.state === 'dead') return UNCHANGED(record);
    if (record?.state === 'sleeping' && context.now < (record.until ?? 0)) {
      return this.extendSleep(record, input.retryAfterMs, context.now);
    }
    const sleep = { reason: 'rate_limited' as const, hintMs: input.retryAfterMs };

    return this.sleep(record, { ...input, ...sleep }, context);
  }

  private onTransient(
    record: KeyHealthRecord | null,
    input: Extract<HealthInput, { type: 'transient' }>,
    context: { now: number; tenantId: string },
  ): HealthStep {
    if (record?.state === 'dead') return UNCHANGED(record);
    if (record?.state === 'sleeping') {
      // Still asleep: a straggler. Half-open: the trial failed.
      if (context.now < (record.until ?? 0)) return UNCHANGED(record);

      return this.sleep(record, { ...input, hintMs: null }, context);
    }
    const { now } = context;
    const window = this.settings.failureWindowMs;
    const failures = [...(record?.failures ?? []).filter((at) => now - at < window), now];
    if (failures.length >= this.settings.failureThreshold) {
      return this.sleep(record, { ...input, hintMs: null }, context);
    }
    const base = record ?? blank(context.tenantId, now);

    return { record: { ...base, failures }, changed: true };
  }

  private onFatal(
    record: KeyHealthRecord | null,
    reason: FatalReason,
    detail: string,
    keyRevision: string,
    context: { now: number; tenantId: string },
  ): HealthStep {
    if (record?.state === 'dead' && record.keyRevision === keyRevision) return UNCHANGED(record);
    const dead: KeyHealthRecord = {
      ...blank(record?.tenantId ?? context.tenantId, context.now),
      state: 'dead',
      reason,
      detail,
      keyRevision,
    };
    const from = record?.state === 'dead' ? 'active' : (record?.state ?? 'active');

    return {
      record: dead,
      changed: true,
      transition: { from, to: 'dead', reason, detail, until: null },
    };
  }

  private onClaim(record: KeyHealthRecord | null, now: number): HealthStep {
    if (record?.state !== 'sleeping' || now < (record.until ?? 0) || trialBusy(record, now)) {
      return { ...UNCHANGED(record), claimed: false };
    }

    return {
      record: { ...record, trialUntil: now + this.settings.trialLeaseMs },
      changed: true,
      claimed: true,
    };
  }

  private onRevive(record: KeyHealthRecord | null, keyRevision: string): HealthStep {
    if (!record || !this.isRevived(record, keyRevision)) return UNCHANGED(record);

    return {
      record: null,
      changed: true,
      transition: {
        from: record.state,
        to: 'active',
        reason: 'revived',
        detail: null,
        until: null,
      },
    };
  }

  /**
   * Puts the key to sleep (again), one strike more than before, remembering its revision so
   * that a change by its owner wakes it.
   */
  private sleep(
    record: KeyHealthRecord | null,
    cause: { reason: KeyHealthReason; detail: string; hintMs: number | null; keyRevision?: string },
    context: { now: number; tenantId: string },
  ): HealthStep {
    const { now } = context;
    const { reason, detail } = cause;
    const strikes = this.recentStrikes(record, now) + 1;
    const until = now + (cause.hintMs ?? this.backoffMs(strikes));
    const sleeping: KeyHealthRecord = {
      ...blank(record?.tenantId ?? context.tenantId, now),
      state: 'sleeping',
      reason,
      detail,
      until,
      strikes,
      lastStrikeAt: now,
      keyRevision: cause.keyRevision ?? record?.keyRevision ?? null,
    };

    return {
      record: sleeping,
      changed: true,
      transition: { from: record?.state ?? 'active', to: 'sleeping', reason, detail, until },
    };
  }

  /** A 429 that arrives while asleep only lengthens the sleep if the provider says so. */
  private extendSleep(
    record: KeyHealthRecord,
    retryAfterMs: number | null,
    now: number,
  ): HealthStep {
    const until = retryAfterMs === null ? null : now + retryAfterMs;
    if (until === null || until <= (record.until ?? 0)) return UNCHANGED(record);

    return { record: { ...record, until }, changed: true };
  }

  private recentStrikes(record: KeyHealthRecord | null, now: number): number {
    if (!record || record.lastStrikeAt === null) return 0;

    return now - record.lastStrikeAt < this.settings.strikeDecayMs ? record.strikes : 0;
  }

  /** Base × 2^(strikes − 1), capped, with "equal jitter": between half and all of it. */
  backoffMs(strikes: number): number {
    const { sleepBaseMs, sleepMaxMs } = this.settings;
    const full = Math.min(sleepMaxMs, sleepBaseMs * 2 ** Math.min(strikes - 1, 30));

    return Math.round(full / 2 + (this.random() * full) / 2);
  }
}

function blank(tenantId: string, now: number): KeyHealthRecord {
  return {
    state: 'active',
    tenantId,
    reason: null,
    detail: null,
    since: now,
    until: null,
    trialUntil: null,
    failures: [],
    strikes: 0,
    lastStrikeAt: null,
    keyRevision: null,
  };
}

function trialBusy(record: KeyHealthRecord, now: number): boolean {
  return record.trialUntil !== null && now < record.trialUntil;
}

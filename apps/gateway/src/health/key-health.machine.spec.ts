import { KeyHealthMachine } from './key-health.machine';
import { HealthInput, KeyHealthRecord, KeyHealthSettings } from './key-health.types';

const SETTINGS: KeyHealthSettings = {
  failureThreshold: 3,
  failureWindowMs: 60_000,
  sleepBaseMs: 4_000,
  sleepMaxMs: 60_000,
  strikeDecayMs: 600_000,
  trialLeaseMs: 30_000,
};
const TENANT = 'tenant-1';
const T0 = 1_700_000_000_000;

/** Feeds inputs to the machine at given times, keeping the record as Redis would. */
class Run {
  record: KeyHealthRecord | null = null;
  now = T0;

  constructor(private readonly machine: KeyHealthMachine) {}

  at(offsetMs: number): this {
    this.now = T0 + offsetMs;

    return this;
  }

  apply(input: HealthInput): ReturnType<KeyHealthMachine['apply']> {
    const step = this.machine.apply(this.record, input, { now: this.now, tenantId: TENANT });
    if (step.changed) this.record = step.record;

    return step;
  }

  status(revision = 'r1'): ReturnType<KeyHealthMachine['status']> {
    return this.machine.status(this.record, this.now, revision);
  }
}

const rateLimited = (retryAfterMs: number | null = null): HealthInput => ({
  type: 'rate_limited',
  retryAfterMs,
  detail: 'HTTP 429',
});
const serverError: HealthInput = { type: 'transient', reason: 'server_error', detail: 'HTTP 503' };
const unauthorized: HealthInput = {
  type: 'fatal',
  reason: 'unauthorized',
  detail: 'HTTP 401',
  keyRevision: 'r1',
};

describe(KeyHealthMachine.name, () => {
  let run: Run;

  beforeEach(() => {
    // Jitter fixed at its top, so each sleep is exactly base × 2^(strikes − 1).
    run = new Run(new KeyHealthMachine(SETTINGS, () => 1));
  });

  it('sleeps a rate-limited key for exactly the time the provider asked', () => {
    const step = run.apply(rateLimited(30_000));

    expect(step.transition).toEqual({
      from: 'active',
      to: 'sleeping',
      reason: 'rate_limited',
      detail: 'HTTP 429',
      until: T0 + 30_000,
    });
    expect(run.at(29_999).status()).toMatchObject({ kind: 'sleeping', until: T0 + 30_000 });
    expect(run.at(30_000).status()).toMatchObject({ kind: 'half_open', busy: false });
  });

  it('doubles the sleep of each 429 without a hint, and starts again after a quiet spell', () => {
    const untils: number[] = [];
    for (const at of [0, 10_000, 30_000]) {
      run.at(at).apply({ type: 'claim_trial' });
      untils.push((run.at(at).apply(rateLimited()).transition?.until ?? 0) - (T0 + at));
    }
    run.at(30_000 + 8_000 + SETTINGS.strikeDecayMs).apply({ type: 'claim_trial' });

    const afterQuiet = run.apply(rateLimited()).transition?.until ?? 0;

    expect(untils).toEqual([4_000, 8_000, 16_000]);
    expect(afterQuiet - run.now).toBe(4_000);
  });

  it('keeps a jittered backoff between half and all of its nominal length', () => {
    const low = new KeyHealthMachine(SETTINGS, () => 0);
    const high = new KeyHealthMachine(SETTINGS, () => 0.999);

    const sleeps = [low.backoffMs(3), high.backoffMs(3), low.backoffMs(30)];

    expect(sleeps[0]).toBe(8_000);
    expect(sleeps[1]).toBeGreaterThan(15_900);
    expect(sleeps[1]).toBeLessThanOrEqual(16_000);
    expect(sleeps[2]).toBe(SETTINGS.sleepMaxMs / 2);
  });

  it('puts a key to sleep only after N transient failures within the window', () => {
    const first = run.at(0).apply(serverError);
    const second = run.at(70_000).apply(serverError);
    const third = run.at(80_000).apply(serverError);
    const fourth = run.at(90_000).apply(serverError);

    expect([first, second, third].map((step) => step.transition)).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect(run.record?.state).toBe('sleeping');
    expect(fourth.transition).toMatchObject({ to: 'sleeping', reason: 'server_error' });
    expect(run.status()).toMatchObject({ kind: 'sleeping', until: T0 + 90_000 + 4_000 });
  });

  it('lets one half-open trial through at a time, and frees it when the lease runs out', () => {
    run.apply(rateLimited(1_000));

    const early = run.at(500).apply({ type: 'claim_trial' });
    const first = run.at(1_000).apply({ type: 'claim_trial' });
    const second = run.at(1_001).apply({ type: 'claim_trial' });
    const busy = run.status();
    const afterLease = run.at(1_000 + SETTINGS.trialLeaseMs).apply({ type: 'claim_trial' });

    expect([early.claimed, first.claimed, second.claimed]).toEqual([false, true, false]);
    expect(busy).toMatchObject({ kind: 'half_open', busy: true });
    expect(afterLease.claimed).toBe(true);
  });

  it('wakes a key whose trial succeeds', () => {
    run.apply(rateLimited(1_000));
    run.at(1_000).apply({ type: 'claim_trial' });

    const step = run.at(1_200).apply({ type: 'success' });

    expect(step.transition).toEqual({
      from: 'sleeping',
      to: 'active',
      reason: 'recovered',
      detail: null,
      until: null,
    });
    expect(run.status()).toEqual({ kind: 'active' });
  });

  it('puts a key back to sleep, for longer, when its trial fails', () => {
    run.apply(rateLimited());
    run.at(4_000).apply({ type: 'claim_trial' });

    const step = run.at(4_100).apply(serverError);

    expect(step.transition).toMatchObject({
      from: 'sleeping',
      to: 'sleeping',
      reason: 'server_error',
      until: T0 + 4_100 + 8_000,
    });
  });

  it('ignores answers of calls already in flight when the key went to sleep', () => {
    run.apply(rateLimited(30_000));

    const success = run.at(100).apply({ type: 'success' });
    const failure = run.at(200).apply(serverError);
    const shorter = run.at(300).apply(rateLimited(1_000));
    const longer = run.at(400).apply(rateLimited(60_000));

    expect([success.changed, failure.changed, shorter.changed]).toEqual([false, false, false]);
    expect(longer.transition).toBeUndefined();
    expect(run.status()).toMatchObject({ kind: 'sleeping', until: T0 + 400 + 60_000 });
  });

  it('kills a key at once on 401, whatever its state, and keeps it dead', () => {
    run.apply(rateLimited(30_000));

    const death = run.at(10).apply(unauthorized);
    const later = [
      run.at(20).apply({ type: 'success' }),
      run.at(40_000).apply({ type: 'claim_trial' }),
      run.at(50_000).apply(rateLimited(5)),
      run.at(60_000).apply(unauthorized),
    ];

    expect(death.transition).toMatchObject({
      from: 'sleeping',
      to: 'dead',
      reason: 'unauthorized',
    });
    expect(later.map((step) => step.changed)).toEqual([false, false, false, false]);
    expect(run.at(10 ** 9).status()).toMatchObject({ kind: 'dead', reason: 'unauthorized' });
  });

  it('revives a dead key only when its owner changed it', () => {
    run.apply(unauthorized);

    const unchanged = run.apply({ type: 'revive', keyRevision: 'r1' });
    const statusAfterEdit = run.status('r2');
    const revived = run.apply({ type: 'revive', keyRevision: 'r2' });

    expect(unchanged.changed).toBe(false);
    expect(statusAfterEdit).toEqual({ kind: 'active' });
    expect(revived.transition).toMatchObject({ from: 'dead', to: 'active', reason: 'revived' });
    expect(run.record).toBeNull();
  });

  it('wakes a sleeping key at once when its owner changed it, whatever put it to sleep', () => {
    const sleepers: HealthInput[] = [
      { type: 'rate_limited', retryAfterMs: 30_000, detail: 'HTTP 429', keyRevision: 'r1' },
      { type: 'transient', reason: 'server_error', detail: 'HTTP 503', keyRevision: 'r1' },
    ];
    for (const cause of sleepers) {
      run = new Run(new KeyHealthMachine(SETTINGS, () => 1));
      for (let i = 0; i < SETTINGS.failureThreshold; i++) run.at(i).apply(cause);

      const asleep = run.at(100).status('r1');
      const afterEdit = run.status('r2');
      const unchanged = run.apply({ type: 'revive', keyRevision: 'r1' });
      const revived = run.apply({ type: 'revive', keyRevision: 'r2' });

      expect(asleep).toMatchObject({ kind: 'sleeping' });
      expect(afterEdit).toEqual({ kind: 'active' });
      expect(unchanged.changed).toBe(false);
      expect(revived.transition).toMatchObject({
        from: 'sleeping',
        to: 'active',
        reason: 'revived',
      });
      expect(run.record).toBeNull();
    }
  });

  it('keeps a sleeping key asleep when its revision was not known', () => {
    run.apply(rateLimited(30_000));

    expect(run.at(100).status('r2')).toMatchObject({ kind: 'sleeping' });
    expect(run.apply({ type: 'revive', keyRevision: 'r2' }).changed).toBe(false);
  });

  it('kills a changed key again when the change did not fix it', () => {
    run.apply(unauthorized);

    const step = run.apply({ ...unauthorized, keyRevision: 'r2' });

    expect(step.transition).toMatchObject({ from: 'active', to: 'dead' });
    expect(run.status('r2')).toMatchObject({ kind: 'dead' });
  });

  it('keeps records only as long as they matter', () => {
    run.apply(rateLimited(30_000));
    const sleeping = run.record as KeyHealthRecord;
    run.apply(unauthorized);
    const dead = run.record as KeyHealthRecord;

    const machine = new KeyHealthMachine(SETTINGS);

    expect(machine.ttlMs(sleeping, T0)).toBe(30_000 + SETTINGS.strikeDecayMs);
    expect(machine.ttlMs(dead, T0)).toBeGreaterThan(7 * 24 * 3600 * 1000);
  });
});

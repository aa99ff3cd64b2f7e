import { KeyStatus } from '../health/key-health.types';
import { FailedAttempt, noRouteLeft } from './route-exhaustion';
import { KeyAssessment, RoutePlan } from './route-planner';
import { RoutableKey } from './tenant-routing';

const NOW = Date.parse('2026-01-01T00:00:00Z');

const key = (id: string): RoutableKey => ({ id, name: `name-of-${id}` }) as RoutableKey;
const sleeping = (reason: 'rate_limited' | 'server_error', inMs: number): KeyStatus => ({
  kind: 'sleeping',
  until: NOW + inMs,
  reason,
  detail: null,
});

function planOf(keys: KeyAssessment[]): RoutePlan {
  return {
    requestedModel: 'gpt-4o',
    upstreamModel: 'gpt-4o',
    level: 1,
    levelRule: 'gpt-*=1',
    levels: [{ level: 1, candidates: keys.map((each) => ({ key: each.key, trial: false })), keys }],
  };
}

describe(noRouteLeft.name, () => {
  it('answers the failing call and the next one alike: 503 when server errors put keys to sleep', () => {
    const a = key('a');
    const b = key('b');
    // The call that tripped the sleeps: one key answered 500 a last time, one 429 while it
    // already slept for server errors (a straggler does not change why it sleeps).
    const failures: FailedAttempt[] = [
      {
        key: a,
        detail: 'HTTP 500',
        rateLimited: false,
        statusAfter: sleeping('server_error', 4_000),
      },
      {
        key: b,
        detail: 'HTTP 429',
        rateLimited: true,
        statusAfter: sleeping('server_error', 6_000),
      },
    ];
    const active: KeyStatus = { kind: 'active' };

    const failing = noRouteLeft(
      planOf([a, b].map((each) => ({ key: each, status: active, excluded: null }))),
      failures,
      NOW,
    );
    const next = noRouteLeft(
      planOf(failures.map((f) => ({ key: f.key, status: f.statusAfter, excluded: 'sleeping' }))),
      [],
      NOW,
    );

    for (const error of [failing, next]) {
      expect(error).toMatchObject({ statusOverride: 503, retryAfterSeconds: 4 });
      expect(error.message).toContain('2 asleep until 2026-01-01T00:00:04.000Z (server error)');
    }
  });

  it('answers 429 to both when rate limits put every key to sleep', () => {
    const a = key('a');
    const failures: FailedAttempt[] = [
      {
        key: a,
        detail: 'HTTP 429',
        rateLimited: true,
        statusAfter: sleeping('rate_limited', 30_000),
      },
    ];

    const failing = noRouteLeft(
      planOf([{ key: a, status: { kind: 'active' }, excluded: null }]),
      failures,
      NOW,
    );
    const next = noRouteLeft(
      planOf([{ key: a, status: failures[0].statusAfter, excluded: 'sleeping' }]),
      [],
      NOW,
    );

    for (const error of [failing, next]) {
      expect(error).toMatchObject({ statusOverride: 429, retryAfterSeconds: 30 });
    }
  });

  it('shows no wake time already past when a sleep ended while the call walked the pool', () => {
    const [a, b] = [key('a'), key('b')];
    // Planned while "a" slept for another second; "b" then took five seconds to fail.
    const plan = planOf([
      { key: a, status: sleeping('rate_limited', 1_000), excluded: 'sleeping' },
      { key: b, status: { kind: 'active' }, excluded: null },
    ]);
    const failures: FailedAttempt[] = [
      {
        key: b,
        detail: 'HTTP 429',
        rateLimited: true,
        statusAfter: sleeping('rate_limited', 35_000),
      },
    ];

    const error = noRouteLeft(plan, failures, NOW + 5_000);

    expect(error.message).not.toContain('2026-01-01T00:00:01.000Z');
    expect(error.message).toContain('1 asleep until 2026-01-01T00:00:35.000Z (rate limited)');
    expect(error.message).toContain('1 being tested after a sleep');
    expect(error).toMatchObject({ statusOverride: 429, retryAfterSeconds: 1 });
  });
});

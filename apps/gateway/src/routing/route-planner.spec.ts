import { ProviderKey } from '@xai/contracts';

import { KeyHealthService } from '../health/key-health.service';
import { KeyStatus } from '../health/key-health.types';
import { RouteExhaustedException } from './route-exhaustion';
import { RoutePlanner, routeRuleOf } from './route-planner';
import { TenantRouting } from './tenant-routing';

const NOW = Date.parse('2026-01-01T00:00:00Z');

function providerKey(id: string, level: number, extra: Partial<ProviderKey> = {}): ProviderKey {
  return {
    id,
    tenantId: 'tenant-1',
    name: `name-of-${id}`,
    level,
    provider: 'https://api.example.com/v1',
    status: true,
    providerType: 'openai',
    configJson: '{}',
    secretHint: '…abcd',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...extra,
  };
}

function routing(keys: ProviderKey[], config: Partial<Record<string, string>> = {}): TenantRouting {
  return TenantRouting.fromSnapshot({
    config: {
      levelMapper: config.levelMapper ?? 'gpt-4*=1',
      modelMapper: config.modelMapper ?? 'gpt-4=gpt-4-turbo',
      switchOver: config.switchOver ?? '1=2',
      defaultLevel: 3,
      version: 1,
    },
    providerKeys: keys,
  });
}

/** A health service that answers from a fixed table. */
function healthOf(statuses: Record<string, KeyStatus>): KeyHealthService {
  return {
    statuses: async (keys: readonly { id: string }[]) =>
      new Map(keys.map((key) => [key.id, statuses[key.id] ?? { kind: 'active' }])),
  } as unknown as KeyHealthService;
}

const asleep = (until: number, reason: 'rate_limited' | 'server_error'): KeyStatus => ({
  kind: 'sleeping',
  until,
  reason,
  detail: 'HTTP 429',
});
const dead: KeyStatus = { kind: 'dead', since: NOW, reason: 'unauthorized', detail: 'HTTP 401' };

describe(RoutePlanner.name, () => {
  const clock = { now: () => NOW };

  it('maps the model, picks its level and walks the SwitchOver chain', async () => {
    const planner = new RoutePlanner(healthOf({}), clock);
    const tenant = routing([providerKey('a', 1), providerKey('b', 2)]);

    const plan = await planner.plan(tenant, 'gpt-4');

    expect(plan).toMatchObject({
      requestedModel: 'gpt-4',
      upstreamModel: 'gpt-4-turbo',
      modelRule: 'gpt-4=gpt-4-turbo',
      level: 1,
      levelRule: 'gpt-4*=1',
    });
    expect(plan.levels.map((level) => level.candidates.map((c) => c.key.id))).toEqual([
      ['a'],
      ['b'],
    ]);
    expect(routeRuleOf(plan, 2)).toBe('model gpt-4=gpt-4-turbo; level gpt-4*=1; switch-over 1=2');
  });

  it('sends unmatched models to the default level', async () => {
    const planner = new RoutePlanner(healthOf({}), clock);

    const plan = await planner.plan(routing([providerKey('c', 3)]), 'llama-3');

    expect(plan.level).toBe(3);
    expect(plan.levelRule).toBe('default level 3');
    expect(routeRuleOf(plan, 3)).toBe('level default level 3');
  });

  it('leaves out disabled, sleeping, dead and busy keys and keys that do not serve the model', async () => {
    const planner = new RoutePlanner(
      healthOf({
        asleep: asleep(NOW + 30_000, 'rate_limited'),
        dead,
        busy: { kind: 'half_open', until: NOW - 1, reason: 'server_error', busy: true },
        trial: { kind: 'half_open', until: NOW - 1, reason: 'server_error', busy: false },
      }),
      clock,
    );
    const tenant = routing([
      providerKey('ok', 1),
      providerKey('off', 1, { status: false }),
      providerKey('asleep', 1),
      providerKey('dead', 1),
      providerKey('busy', 1),
      providerKey('trial', 1),
      providerKey('other-models', 1, { configJson: '{"models":["claude*"]}' }),
      providerKey('listed', 1, { configJson: '{"models":["gpt-4-t*"]}' }),
    ]);

    const [level] = (await planner.plan(tenant, 'gpt-4')).levels;

    expect(level.candidates.map((c) => [c.key.id, c.trial])).toEqual([
      ['trial', true],
      ['ok', false],
      ['listed', false],
    ]);
    expect(Object.fromEntries(level.keys.map((k) => [k.key.id, k.excluded]))).toMatchObject({
      off: 'disabled',
      asleep: 'sleeping',
      dead: 'dead',
      busy: 'trial_busy',
      'other-models': 'model_not_listed',
    });
  });

  it('explains without moving the rotation', async () => {
    const planner = new RoutePlanner(healthOf({}), clock);
    const tenant = routing([providerKey('a', 1), providerKey('b', 1)]);

    const explained = await planner.explain(tenant, 'gpt-4o');
    const again = await planner.explain(tenant, 'gpt-4o');
    const planned = await planner.plan(tenant, 'gpt-4o');

    const firsts = [explained, again, planned].map((plan) => plan.levels[0].candidates[0].key.id);
    expect(firsts).toEqual(['a', 'a', 'a']);
  });

  it('answers 429 with Retry-After when only rate limits stand in the way', async () => {
    const planner = new RoutePlanner(
      healthOf({
        a: asleep(NOW + 30_000, 'rate_limited'),
        b: asleep(NOW + 12_500, 'rate_limited'),
      }),
      clock,
    );
    const tenant = routing([providerKey('a', 1), providerKey('b', 1)], { switchOver: '' });

    const error = await planner.plan(tenant, 'gpt-4o').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RouteExhaustedException);
    expect(error).toMatchObject({ statusOverride: 429, retryAfterSeconds: 13 });
    expect((error as Error).message).toBe(
      'No provider key could serve model "gpt-4o" (gpt-4*=1): level 1, all 2 keys: ' +
        '2 asleep until 2026-01-01T00:00:12.500Z (rate limited).',
    );
  });

  it('answers 503 naming each level and why when every key is dead or missing', async () => {
    const planner = new RoutePlanner(healthOf({ a: dead, b: dead }), clock);
    const tenant = routing([providerKey('a', 1), providerKey('b', 1)]);

    const error = await planner.plan(tenant, 'gpt-4o').catch((e: unknown) => e);

    expect(error).toMatchObject({ statusOverride: 503, retryAfterSeconds: undefined });
    const message = (error as Error).message;
    expect(message).toContain('level 1, all 2 keys: 2 dead (unauthorized)');
    expect(message).toContain('level 2 has no provider keys configured');
    expect(message).not.toMatch(/name-of-|\ba\b.*\bb\b|abcd/);
  });

  it('says no route exists when no level of the chain has a key', async () => {
    const planner = new RoutePlanner(healthOf({}), clock);

    const error = await planner.plan(routing([]), 'gpt-4o').catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'model_not_routable' });
    expect((error as Error).message).toBe(
      'No route for model "gpt-4o": level 1, then level 2 (gpt-4*=1) has no provider keys configured.',
    );
  });
});

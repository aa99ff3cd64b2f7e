import { Member, ProviderKey } from '@xai/contracts';

import { KeyHealthService } from '../health/key-health.service';
import { KeyStatus } from '../health/key-health.types';
import { ModelRefusals } from './model-refusals';
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

function routing(
  keys: ProviderKey[],
  config: Partial<Record<string, string>> = {},
  members: Member[] = [],
): TenantRouting {
  return TenantRouting.fromSnapshot({
    members,
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

  describe('member rules', () => {
    const member = (id: string, modelMapper: string): Member => ({
      id,
      tenantId: 'tenant-1',
      name: id,
      modelMapper,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    });
    const tenant = routing(
      [providerKey('a', 1)],
      { modelMapper: 'gpt-4=gpt-4-turbo,gpt-4o=gpt-4o-2024' },
      [member('m1', 'gpt-4=gpt-4o-mini,claude*=gpt-4-cheap'), member('m2', '')],
    );

    it("beat the owner's rules for the member's own calls", async () => {
      const planner = new RoutePlanner(healthOf({}), clock);

      const plan = await planner.plan(tenant, 'gpt-4', { memberId: 'm1' });

      expect(plan).toMatchObject({
        upstreamModel: 'gpt-4o-mini',
        modelRule: 'gpt-4=gpt-4o-mini',
        modelRuleSource: 'member',
      });
      expect(routeRuleOf(plan, 1)).toBe('member model gpt-4=gpt-4o-mini; level gpt-4*=1');
    });

    it("leave a model they do not match to the owner's rules", async () => {
      const planner = new RoutePlanner(healthOf({}), clock);

      const plan = await planner.plan(tenant, 'gpt-4o', { memberId: 'm1' });

      expect(plan).toMatchObject({ upstreamModel: 'gpt-4o-2024', modelRuleSource: 'owner' });
    });

    it("apply to no one else: other members and the owner get the owner's rules", async () => {
      const planner = new RoutePlanner(healthOf({}), clock);

      const other = await planner.plan(tenant, 'gpt-4', { memberId: 'm2' });
      const owner = await planner.explain(tenant, 'gpt-4');
      const unknown = await planner.explain(tenant, 'gpt-4', { memberId: 'gone' });

      for (const plan of [other, owner, unknown]) {
        expect(plan).toMatchObject({ upstreamModel: 'gpt-4-turbo', modelRuleSource: 'owner' });
      }
    });
  });

  it('sends unmatched models to the default level', async () => {
    const planner = new RoutePlanner(healthOf({}), clock);

    const plan = await planner.plan(routing([providerKey('c', 3)]), 'llama-3');

    expect(plan.level).toBe(3);
    expect(plan.levelRule).toBe('default level 3');
    expect(routeRuleOf(plan, 3)).toBe('default level 3');
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

  it('answers 503 until the earliest wake when server errors put the keys to sleep', async () => {
    const planner = new RoutePlanner(
      healthOf({
        a: asleep(NOW + 5_000, 'server_error'),
        b: asleep(NOW + 9_000, 'server_error'),
      }),
      clock,
    );
    const tenant = routing([providerKey('a', 1), providerKey('b', 1)], { switchOver: '' });

    const error = await planner.plan(tenant, 'gpt-4o').catch((e: unknown) => e);

    expect(error).toMatchObject({ statusOverride: 503, retryAfterSeconds: 5 });
    expect((error as Error).message).toContain(
      '2 asleep until 2026-01-01T00:00:05.000Z (server error)',
    );
  });

  it('answers 503 until the earliest wake when not only rate limits put the keys to sleep', async () => {
    const planner = new RoutePlanner(
      healthOf({
        a: asleep(NOW + 5_000, 'server_error'),
        b: asleep(NOW + 40_000, 'rate_limited'),
      }),
      clock,
    );
    const tenant = routing(
      [providerKey('a', 1), providerKey('b', 1), providerKey('c', 1, { status: false })],
      { switchOver: '' },
    );

    const error = await planner.plan(tenant, 'gpt-4o').catch((e: unknown) => e);

    expect(error).toMatchObject({ statusOverride: 503, retryAfterSeconds: 5 });
    expect((error as Error).message).toContain('1 disabled, 2 asleep until');
  });

  it('answers 503 with Retry-After when some keys are dead and the others asleep', async () => {
    const planner = new RoutePlanner(
      healthOf({ a: asleep(NOW + 5_000, 'rate_limited'), b: dead }),
      clock,
    );
    const tenant = routing([providerKey('a', 1), providerKey('b', 1)], { switchOver: '' });

    const error = await planner.plan(tenant, 'gpt-4o').catch((e: unknown) => e);

    expect(error).toMatchObject({ statusOverride: 503, retryAfterSeconds: 5 });
  });

  it('skips a key for a model its provider refused to it, and says so when none is left', async () => {
    const refusals = new ModelRefusals();
    const planner = new RoutePlanner(healthOf({}), clock, refusals);
    const tenant = routing([providerKey('a', 1), providerKey('b', 1)], { switchOver: '' });
    refusals.remember(tenant.keysOf(1)[0], 'gpt-4o', NOW);

    const plan = await planner.plan(tenant, 'gpt-4o');
    const other = await planner.plan(tenant, 'gpt-4-turbo');
    refusals.remember(tenant.keysOf(1)[1], 'gpt-4o', NOW);
    const error = await planner.plan(tenant, 'gpt-4o').catch((e: unknown) => e);

    expect(plan.levels[0].candidates.map((c) => c.key.id)).toEqual(['b']);
    expect(plan.levels[0].keys[0].excluded).toBe('model_refused');
    expect(other.levels[0].candidates).toHaveLength(2);
    expect(error).toMatchObject({ code: 'model_not_found', param: 'model' });
    expect((error as Error).message).toContain('2 refused this model by the provider');
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

    expect(error).toMatchObject({ code: 'model_not_routable', statusOverride: 503 });
    expect((error as Error).message).toBe(
      'No route for model "gpt-4o": level 1, then level 2 (gpt-4*=1) has no provider keys configured.',
    );
  });

  describe('planOn (a call only one key can serve)', () => {
    it('routes to that key alone, outside the model’s level, leaving the rotation alone', async () => {
      const planner = new RoutePlanner(healthOf({}), clock);
      const tenant = routing([providerKey('a', 1), providerKey('b', 1), providerKey('c', 2)]);
      const [, b] = tenant.keysOf(1);

      const pinned = await planner.planOn(tenant, b, 'gpt-4');
      const unnamed = await planner.planOn(tenant, tenant.keysOf(2)[0], null);
      const next = await planner.plan(tenant, 'gpt-4');

      expect(pinned.levels.map((level) => level.candidates.map((c) => c.key.id))).toEqual([['b']]);
      expect(pinned).toMatchObject({ upstreamModel: 'gpt-4-turbo', level: 1 });
      expect(unnamed).toMatchObject({ level: 2, upstreamModel: '' });
      expect(unnamed.levels[0].candidates.map((c) => c.key.id)).toEqual(['c']);
      expect(next.levels[0].candidates[0].key.id).toBe('a');
    });

    it('refuses like plan() when that key is asleep, dead, disabled or not serving the model', async () => {
      const planner = new RoutePlanner(
        healthOf({ a: asleep(NOW + 30_000, 'rate_limited'), b: dead }),
        clock,
      );
      const tenant = routing([
        providerKey('a', 1),
        providerKey('b', 1),
        providerKey('c', 1, { status: false }),
        providerKey('d', 1, { configJson: '{"models":["claude*"]}' }),
      ]);
      const [a, b, c, d] = tenant.keysOf(1);

      const errors = await Promise.all(
        [a, b, c, d].map((key) => planner.planOn(tenant, key, 'gpt-4').catch((e: unknown) => e)),
      );
      const unnamed = await planner.planOn(tenant, d, null);

      expect(errors.map((error) => (error as { statusOverride?: number }).statusOverride)).toEqual([
        429, 503, 503, 503,
      ]);
      expect(errors.every((error) => error instanceof RouteExhaustedException)).toBe(true);
      expect(unnamed.levels[0].candidates).toHaveLength(1);
    });
  });
});

import { randomUUID } from 'node:crypto';

import { testRedisUrl } from '@xai/devstack';
import { KeyHealthEvent, streamNames } from '@xai/events';
import Redis from 'ioredis';

import { GatewayConfig, loadGatewayConfig } from '../gateway.config';
import { AttemptVerdict } from './attempt-verdict';
import { KeyHealthPublisher } from './key-health.publisher';
import { KeyHealthService } from './key-health.service';
import { KeyHealthStore, StoredHealth } from './key-health.store';
import { HealthKey } from './key-health.types';
import { KeyProbeQueue } from './key-probe.queue';

const REDIS_URL = testRedisUrl();
const T0 = 1_700_000_000_000;

/** One gateway replica's health service, with its own Redis connections. */
interface Replica {
  service: KeyHealthService;
  probes: { schedule: jest.Mock };
  close(): void;
}

const rateLimited = (retryAfterMs: number | null): AttemptVerdict => ({
  kind: 'rate_limited',
  retryAfterMs,
  detail: 'HTTP 429',
});
const unauthorized: AttemptVerdict = { kind: 'fatal', reason: 'unauthorized', detail: 'HTTP 401' };

describe(KeyHealthService.name, () => {
  const prefix = `xai-test-${randomUUID().slice(0, 8)}:`;
  const clock = { now: (): number => T0 };
  const redis = new Redis(REDIS_URL);
  const replicas: Replica[] = [];
  let key: HealthKey;

  const replica = (
    overrides: Record<string, string> = {},
  ): Replica & { ready(): Promise<void> } => {
    const config: GatewayConfig = loadGatewayConfig({
      XAI_VIRTUAL_KEY_PEPPER: 'p'.repeat(32),
      REDIS_URL,
      XAI_REDIS_PREFIX: prefix,
      XAI_KEY_HEALTH_CACHE_MS: '0',
      XAI_KEY_PROBES: 'false',
      ...overrides,
    });
    const store = new KeyHealthStore(config);
    const publisher = new KeyHealthPublisher(config);
    const probes = { schedule: jest.fn(async () => undefined) };
    const service = new KeyHealthService(
      store,
      publisher,
      probes as unknown as KeyProbeQueue,
      config,
      clock,
    );
    const created = {
      service,
      probes,
      ready: async () => {
        await Promise.all([store.whenReady(), publisher.whenReady()]);
      },
      close: () => {
        store.onModuleDestroy();
        publisher.onModuleDestroy();
      },
    };
    replicas.push(created);

    return created;
  };

  const events = async (): Promise<KeyHealthEvent[]> => {
    const entries = await redis.xrange(streamNames(prefix).keyHealth, '-', '+');

    return entries.map(([, fields]) => JSON.parse(fields[1]) as KeyHealthEvent);
  };

  /** The events once at least `count` arrived (publishing does not hold up the caller). */
  const eventsAfter = async (count: number): Promise<KeyHealthEvent[]> => {
    await waitFor(async () => (await events()).length >= count);

    return events();
  };

  beforeEach(() => {
    clock.now = () => T0;
    key = {
      id: randomUUID(),
      tenantId: randomUUID(),
      revision: 'r1',
      baseUrl: 'https://api.example.com/v1',
      providerType: 'openai',
      privateLiteralHost: false,
    };
  });

  const cleanUp = async (): Promise<void> => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  };

  afterEach(async () => {
    replicas.splice(0).forEach((each) => each.close());
    await cleanUp();
  });

  afterAll(async () => {
    // A publish still in flight when its connection closed may land after the last clean-up.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await cleanUp();
    redis.disconnect();
  });

  const ready = async (...all: Array<{ ready(): Promise<void> }>): Promise<void> => {
    await Promise.all(all.map((each) => each.ready()));
  };

  it('shows a key one replica put to sleep as asleep to another, and announces it once', async () => {
    const [first, second] = [replica(), replica()];
    await ready(first, second);

    await first.service.report(key, rateLimited(30_000));
    await second.service.report(key, rateLimited(30_000));
    const seen = await second.service.statuses([key]);

    expect(seen.get(key.id)).toMatchObject({ kind: 'sleeping', until: T0 + 30_000 });
    await expect(eventsAfter(1)).resolves.toEqual([
      expect.objectContaining({
        providerKeyId: key.id,
        from: 'active',
        to: 'sleeping',
        reason: 'rate_limited',
        until: new Date(T0 + 30_000).toISOString(),
      }),
    ]);
    expect(first.probes.schedule).toHaveBeenCalledWith(key, T0 + 30_000, T0);
  });

  it('counts the keys of its cache by state, for the key-state gauge', async () => {
    const [first, second] = [replica(), replica()];
    await ready(first, second);
    const healthy = { ...key, id: randomUUID() };

    await first.service.report(key, unauthorized);
    await second.service.statuses([key, healthy]);

    expect(second.service.stateCounts()).toEqual({ active: 1, sleeping: 0, half_open: 0, dead: 1 });
  });

  it('records one transition when replicas see the same failure at the same moment', async () => {
    const all = [replica(), replica(), replica()];
    await ready(...all);

    await Promise.all(all.map((each) => each.service.report(key, unauthorized)));

    const dead = (await eventsAfter(1)).filter((event) => event.to === 'dead');
    expect(dead).toHaveLength(1);
    await expect(all[2].service.statuses([key])).resolves.toEqual(
      new Map([[key.id, expect.objectContaining({ kind: 'dead', reason: 'unauthorized' })]]),
    );
  });

  it('gives the half-open trial to exactly one replica, and wakes the key for all on success', async () => {
    const all = [replica(), replica(), replica()];
    await ready(...all);
    await all[0].service.report(key, rateLimited(1_000));
    clock.now = () => T0 + 1_000;

    const claims = await Promise.all(all.map((each) => each.service.claimTrial(key)));
    const winner = all[claims.indexOf(true)];
    await winner.service.report(key, { kind: 'success' });

    expect(claims.filter(Boolean)).toHaveLength(1);
    await expect(all[0].service.statuses([key])).resolves.toEqual(
      new Map([[key.id, { kind: 'active' }]]),
    );
    expect((await eventsAfter(2)).map((event) => event.reason)).toEqual([
      'rate_limited',
      'recovered',
    ]);
  });

  it('reads a key once for every call that finds its cache period over at the same time', async () => {
    const only = replica({ XAI_KEY_HEALTH_CACHE_MS: '250' });
    await ready(only);
    const reads = jest.spyOn(KeyHealthStore.prototype, 'read');
    try {
      const all = await Promise.all(Array.from({ length: 50 }, () => only.service.statuses([key])));
      clock.now = () => T0 + 100;
      await only.service.statuses([key]);

      expect(all.every((statuses) => statuses.get(key.id)?.kind === 'active')).toBe(true);
      expect(reads).toHaveBeenCalledTimes(1);

      clock.now = () => T0 + 300;
      await Promise.all([only.service.statuses([key]), only.service.statuses([key])]);
      expect(reads).toHaveBeenCalledTimes(2);
    } finally {
      reads.mockRestore();
    }
  });

  /**
   * A replica with a 250 ms cache period and a 2 s stale window that read the key (active) at
   * T0, after which another replica found the key dead.
   */
  const readBeforeAnotherReplicaKillsTheKey = async (): Promise<Replica> => {
    const [reader, writer] = [
      replica({ XAI_KEY_HEALTH_CACHE_MS: '250', XAI_KEY_HEALTH_STALE_MS: '2000' }),
      replica(),
    ];
    await ready(reader, writer);
    await reader.service.statuses([key]);
    await writer.service.report(key, unauthorized);

    return reader;
  };

  it('routes on recent health past its cache period while it is read again in the background', async () => {
    const reader = await readBeforeAnotherReplicaKillsTheKey();
    clock.now = () => T0 + 1_000;
    const reads = jest.spyOn(KeyHealthStore.prototype, 'read');
    let release: (stored: StoredHealth[]) => void = () => undefined;
    reads.mockImplementationOnce(() => new Promise((resolve) => (release = resolve)));
    try {
      // Redis holds the read up: the call still routes at once, on what was read a second ago.
      const stale = await reader.service.statuses([key]);

      expect(stale.get(key.id)).toEqual({ kind: 'active' });
      expect(reads).toHaveBeenCalledTimes(1);
    } finally {
      release([]);
      reads.mockRestore();
    }
  });

  it('waits for a fresh read once health is older than the stale window, or with no cache period', async () => {
    const [reader, uncached, writer] = [
      replica({ XAI_KEY_HEALTH_CACHE_MS: '250', XAI_KEY_HEALTH_STALE_MS: '2000' }),
      replica({ XAI_KEY_HEALTH_CACHE_MS: '0', XAI_KEY_HEALTH_STALE_MS: '2000' }),
      replica(),
    ];
    await ready(reader, uncached, writer);
    await Promise.all([reader.service.statuses([key]), uncached.service.statuses([key])]);
    await writer.service.report(key, unauthorized);

    clock.now = () => T0 + 2_500;
    const [old, always] = await Promise.all([
      reader.service.statuses([key]),
      uncached.service.statuses([key]),
    ]);

    expect(old.get(key.id)?.kind).toBe('dead');
    expect(always.get(key.id)?.kind).toBe('dead');
  });

  it('sees the background read on the next call', async () => {
    const reader = await readBeforeAnotherReplicaKillsTheKey();
    clock.now = () => T0 + 1_000;

    const stale = await reader.service.statuses([key]);
    await waitFor(async () => (await reader.service.statuses([key])).get(key.id)?.kind === 'dead');

    expect(stale.get(key.id)?.kind).toBe('active');
  });

  it('costs no Redis write when a healthy key succeeds', async () => {
    const only = replica();
    await ready(only);
    await only.service.statuses([key]);

    await only.service.report(key, { kind: 'success' });

    await expect(redis.exists(`${prefix}key-health:${key.id}`)).resolves.toBe(0);
  });

  it('revives a dead key once its owner changed it, announcing it once', async () => {
    const [first, second] = [replica(), replica()];
    await ready(first, second);
    await first.service.report(key, unauthorized);
    const changed = { ...key, revision: 'r2' };

    const [a, b] = await Promise.all([
      first.service.statuses([changed]),
      second.service.statuses([changed]),
    ]);

    expect([a.get(key.id), b.get(key.id)]).toEqual([{ kind: 'active' }, { kind: 'active' }]);
    await waitFor(async () => (await events()).some((event) => event.reason === 'revived'));
    expect((await events()).filter((event) => event.reason === 'revived')).toHaveLength(1);
    await expect(redis.exists(`${prefix}key-health:${key.id}`)).resolves.toBe(0);
  });

  it('routes as if every key were active when Redis is unreachable', async () => {
    const offline = replica({ REDIS_URL: 'redis://127.0.0.1:1' });

    const statuses = await offline.service.statuses([key]);
    const after = await offline.service.report(key, unauthorized);

    expect(statuses.get(key.id)).toEqual({ kind: 'active' });
    expect(after).toEqual({ kind: 'active' });
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

import Redis from 'ioredis';
import { Client } from 'pg';

import { RunningStack, startStack, StartStackOptions, testRedisUrl } from '@xai/devstack';

// The servers given to the test run: CI's PostgreSQL and Redis, or on a bare machine no
// PostgreSQL and the redis-server the jest global setup started.
const GIVEN_DATABASE_URL = process.env.DATABASE_URL;
const GIVEN_REDIS_URL = testRedisUrl();

/** The commands of this process's child processes (ps itself excluded). */
function childCommands(): string[] {
  const output = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], {
    encoding: 'utf8',
  });

  // The test run's own redis-server (jest's global setup starts one when REDIS_URL is not
  // given) is a child of this process too when the file runs in band.
  const runRedisPort = process.env.REDIS_URL ? new URL(process.env.REDIS_URL).port : '';
  const runRedis = runRedisPort === '' ? undefined : `redis-server 127.0.0.1:${runRedisPort}`;

  return output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/\sps -o /.test(` ${line}`))
    .filter((line) => runRedis === undefined || !line.endsWith(runRedis));
}

async function readyStatus(url: string, path = '/readyz'): Promise<number> {
  const response = await fetch(`${url}${path}`, { signal: AbortSignal.timeout(5_000) });
  await response.arrayBuffer();

  return response.status;
}

async function eventually(
  condition: () => Promise<boolean> | boolean,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await Promise.resolve(condition()).catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function databaseExists(name: string): Promise<boolean> {
  const client = new Client({ connectionString: GIVEN_DATABASE_URL });
  await client.connect();
  try {
    const result = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);

    return result.rowCount === 1;
  } finally {
    await client.end();
  }
}

const setups: Array<[string, StartStackOptions]> = [
  ['embedded PGlite and a spawned redis-server', { databaseUrl: false, redisUrl: false }],
  GIVEN_DATABASE_URL
    ? [
        'the given PostgreSQL and Redis, isolated',
        { databaseUrl: GIVEN_DATABASE_URL, redisUrl: GIVEN_REDIS_URL, isolate: true },
      ]
    : [
        'embedded PGlite and the given Redis, isolated',
        { databaseUrl: false, redisUrl: GIVEN_REDIS_URL, isolate: true },
      ],
];

describe.each(setups)('startStack with %s', (_, setup) => {
  let stack: RunningStack;

  beforeAll(async () => {
    stack = await startStack({ ...setup, withMockProvider: true });
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('starts every service: each answers /readyz (the mock provider /healthz) with 200', async () => {
    const names = Object.keys(stack.services).sort();

    const statuses = await Promise.all(
      names.map((name) =>
        readyStatus(
          stack.services[name].httpUrl,
          name === 'mock-provider' ? '/healthz' : '/readyz',
        ),
      ),
    );

    expect(names).toEqual(['audit-log', 'config', 'gateway', 'key-vault', 'mock-provider']);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
  });

  it('registers the owner key with the gateway', async () => {
    const response = await fetch(`${stack.gatewayUrl}/x-keys`, {
      headers: { authorization: `Bearer ${stack.ownerKey}` },
    });

    expect(response.status).toBe(200);
  });

  it('records a call in the audit trail, which verifies', async () => {
    const admin = (path: string, init: RequestInit = {}): Promise<Response> =>
      fetch(`${stack.gatewayUrl}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${stack.ownerKey}`, 'content-type': 'application/json' },
      });
    const key = await admin('/x-keys', {
      method: 'POST',
      body: JSON.stringify({
        SecretKey: 'sk-devstack-trail-0000000000000000',
        Name: 'mock',
        Level: 1,
        Provider: stack.mockProviderUrl,
        Status: true,
      }),
    });
    expect(key.status).toBe(201);
    await admin('/x-conf', { method: 'POST', body: JSON.stringify({ LevelMapper: 'gpt-*=1' }) });

    const call = await fetch(`${stack.gatewayUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.ownerKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
    });
    const requestId = call.headers.get('x-request-id') ?? '';
    await call.arrayBuffer();
    expect(call.status).toBe(200);

    await eventually(async () => {
      const page = await admin(`/x-audit?request_id=${encodeURIComponent(requestId)}`);

      return page.ok && ((await page.json()) as { data: unknown[] }).data.length === 1;
    });
    const verify = (await (await admin('/x-audit/verify')).json()) as { ok: boolean };
    expect(verify.ok).toBe(true);
  }, 60_000);

  it('restarts a service that was killed, on the same address', async () => {
    const before = stack.services.config.pid();

    await stack.kill('config');
    await eventually(
      async () =>
        stack.services.config.pid() !== before &&
        stack.services.config.state() === 'ready' &&
        (await readyStatus(stack.services.config.httpUrl)) === 200,
    );

    expect(stack.services.config.restarts()).toBe(1);
    expect(stack.logs('config').join('\n')).toContain('config was killed by SIGKILL');
  });

  it('leaves no process, database or Redis key behind once stopped', async () => {
    const redisPrefix = stack.redisPrefix;
    const isolatedDatabase =
      setup.isolate && setup.databaseUrl
        ? new URL(stack.databaseUrls.config).pathname.slice(1)
        : undefined;
    expect(childCommands().length).toBeGreaterThan(0);

    await stack.stop();

    expect(childCommands()).toEqual([]);
    expect(existsSync(stack.dataDir)).toBe(false);
    if (isolatedDatabase) expect(await databaseExists(isolatedDatabase)).toBe(false);
    if (setup.isolate) {
      const redis = new Redis(GIVEN_REDIS_URL);
      const keys = await redis.keys(`${redisPrefix}*`);
      redis.disconnect();
      expect(keys).toEqual([]);
    }
  });
});

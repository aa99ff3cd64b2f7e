import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { RunningStack, startStack } from '@xai/devstack';
import Redis from 'ioredis';

import { waitFor } from './audit-log.process';
import { TrafficLoop } from './stack-traffic';

interface MockRecord {
  body: { messages?: { content?: unknown }[] } | null;
}

interface TrailRecord {
  requestId: string;
  eventId: string;
}

const REDIS_OUTAGE_MS = 30_000;

// The whole router as processes, with a redis-server of its own that the test stops.
describe('no audit event is lost across an audit-log crash and a Redis outage (e2e)', () => {
  let dataDir: string;
  let stack: RunningStack;

  const admin = async (path: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`${stack.gatewayUrl}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${stack.ownerKey}`,
        'content-type': 'application/json',
        ...(init.headers ?? {}),
      },
    });

  /** Every request event of the owner's tenant, through /x-audit page by page. */
  const trail = async (): Promise<TrailRecord[]> => {
    const records: TrailRecord[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const response = await admin(`/x-audit?limit=500${query}`);
      const page = (await response.json()) as { data: TrailRecord[]; next_cursor: string | null };
      records.push(...page.data);
      cursor = page.next_cursor;
    } while (cursor);

    return records;
  };

  const ready = (service: string): Promise<boolean> =>
    waitFor(
      async () => (stack.services[service].state() === 'ready' ? true : undefined),
      60_000,
      `${service} ready`,
    );

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'xai-audit-durability-'));
    stack = await startStack({
      dataDir,
      // Redis keeps its data across the stop (append-only file), as in production.
      persistent: true,
      isolate: true,
      redisUrl: false,
      withMockProvider: true,
      logLevel: 'warn',
      env: {
        gateway: { XAI_AUDIT_SPOOL_DIR: join(dataDir, 'audit-spool') },
        'audit-log': { AUDIT_RECLAIM_IDLE_MS: '2000', AUDIT_ROLLUP_INTERVAL_MS: '1000' },
        'mock-provider': { MOCK_MAX_RECORDS: '500000' },
      },
    });
    const created = await admin('/x-keys', {
      method: 'POST',
      body: JSON.stringify({
        SecretKey: 'sk-durability-0123456789abcdef',
        Name: 'mock',
        Level: 1,
        Provider: stack.mockProviderUrl,
        Status: true,
      }),
    });
    expect(created.status).toBe(201);
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('records every request that reached the provider exactly once, and the chain verifies', async () => {
    const traffic = new TrafficLoop(stack.gatewayUrl, stack.ownerKey, 'gpt-4o', 3);
    const okAfter = (count: number): Promise<boolean> =>
      waitFor(
        async () => (traffic.counts().ok >= count ? true : undefined),
        60_000,
        `${count} answered calls`,
      );

    await okAfter(100);
    await stack.kill('audit-log', 'SIGKILL');
    await ready('audit-log');
    await okAfter(traffic.counts().ok + 100);
    await stack.stopInfra('redis');
    const outageStart = traffic.counts().ok;
    await new Promise((resolve) => setTimeout(resolve, REDIS_OUTAGE_MS));
    const duringOutage = traffic.counts().ok - outageStart;
    await stack.startInfra('redis');
    await okAfter(traffic.counts().ok + 100);
    await traffic.stop();

    const seen = (await (
      await fetch(`${stack.mockProviderUrl}/_mock/requests`)
    ).json()) as MockRecord[];
    const reached = new Set(seen.map((record) => String(record.body?.messages?.[0]?.content)));
    const expected = traffic.calls
      .filter((call) => reached.has(call.marker))
      .map((call) => call.requestId ?? `unanswered ${call.marker}`);
    const records = await waitFor(
      async () => {
        const found = await trail().catch(() => []);
        const ids = new Set(found.map((record) => record.requestId));

        return expected.every((id) => ids.has(id)) ? found : undefined;
      },
      120_000,
      'every request that reached the provider in the trail',
    ).catch(async (error: unknown) => {
      const ids = new Set((await trail().catch(() => [])).map((record) => record.requestId));
      const missing = expected.filter((id) => !ids.has(id));
      throw new Error(`${String(error)}\n${await diagnose(stack, missing, expected.length)}`);
    });
    const occurrences = new Map<string, number>();
    for (const record of records) {
      occurrences.set(record.requestId, (occurrences.get(record.requestId) ?? 0) + 1);
    }
    const verify = (await (await admin('/x-audit/verify')).json()) as {
      ok: boolean;
      entries_checked: number;
    };

    expect(duringOutage).toBeGreaterThan(0);
    expect(expected.length).toBeGreaterThan(300);
    expect(expected.filter((id) => occurrences.get(id) !== 1)).toEqual([]);
    expect(new Set(records.map((record) => record.eventId)).size).toBe(records.length);
    expect(verify.ok).toBe(true);
    expect(verify.entries_checked).toBeGreaterThanOrEqual(records.length);
  }, 300_000);
});

/** Where the missing events are: in the stream, dead-lettered, or nowhere; and what the logs say. */
async function diagnose(stack: RunningStack, missing: string[], expected: number): Promise<string> {
  const redis = new Redis(stack.redisUrl);
  try {
    const stream = `${stack.redisPrefix}audit`;
    const inStream = (await redis.xrange(stream, '-', '+')).filter(([, fields]) =>
      missing.some((id) => fields[1]?.includes(id)),
    );
    const dead = await redis.xrange(`${stream}:dead`, '-', '+');
    const pending = await redis.xpending(stream, 'audit-log');
    const logs = stack
      .logs()
      .filter((line) => /dropped|spool|damaged|dead-letter|"level":50|"level":60/.test(line));

    return [
      `${missing.length} of ${expected} missing, e.g. ${missing.slice(0, 3).join(', ')}`,
      `in the stream: ${inStream.length}; dead letters: ${dead.length}; pending: ${JSON.stringify(pending)}`,
      ...dead.slice(0, 3).map(([, fields]) => fields.join(' ').slice(0, 600)),
      ...logs.slice(-20),
    ].join('\n');
  } finally {
    redis.disconnect();
  }
}

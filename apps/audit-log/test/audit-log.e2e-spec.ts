import { randomBytes } from 'node:crypto';

import { status } from '@grpc/grpc-js';
import { AuditLogMethods, AuditRecord, GrpcCallException, GrpcClient } from '@xai/contracts';
import { createScratchDatabase, ScratchDatabase, testRedisUrl } from '@xai/devstack';
import { RequestAuditEvent, StreamPublisher, streamNames } from '@xai/events';
import Redis from 'ioredis';

import { auditEvent } from './audit-events';
import { AuditLogProcess, freePort, waitFor } from './audit-log.process';

const REDIS_URL = testRedisUrl();

// The service as a real process: its own database, a random Redis prefix, free ports.
describe('audit-log (e2e)', () => {
  const prefix = `test:audit-e2e:${randomBytes(6).toString('hex')}:`;
  const stream = streamNames(prefix).audit;
  let database: ScratchDatabase;
  let redis: Redis;
  let publisher: StreamPublisher<RequestAuditEvent>;
  let service: AuditLogProcess;
  let client: GrpcClient<AuditLogMethods>;

  /** Every record of a tenant, through QueryAudit page by page. */
  const allRecords = async (tenantId: string): Promise<AuditRecord[]> => {
    const records: AuditRecord[] = [];
    let cursor = '';
    do {
      const page = await client.call('queryAudit', { tenantId, limit: 500, cursor });
      records.push(...page.records);
      cursor = page.nextCursor;
    } while (cursor);

    return records;
  };

  /** Polls QueryAudit until the tenant holds `count` records. */
  const waitForRecords = (tenantId: string, count: number): Promise<AuditRecord[]> =>
    waitFor(
      async () => {
        const records = await allRecords(tenantId);

        return records.length >= count ? records : undefined;
      },
      30_000,
      `${count} records of ${tenantId}`,
    );

  beforeAll(async () => {
    database = await createScratchDatabase('xai_audit');
    redis = new Redis(REDIS_URL);
    publisher = new StreamPublisher<RequestAuditEvent>(redis, stream);
    const [httpPort, grpcPort] = [await freePort(), await freePort()];
    service = new AuditLogProcess(
      {
        LOG_LEVEL: 'warn',
        HOST: '127.0.0.1',
        HTTP_PORT: String(httpPort),
        GRPC_PORT: String(grpcPort),
        ...database.serviceEnv,
        DATABASE_POOL_MAX: '4',
        REDIS_URL,
        XAI_REDIS_PREFIX: prefix,
        AUDIT_RECLAIM_IDLE_MS: '1000',
      },
      httpPort,
    );
    await service.start();
    client = new GrpcClient<AuditLogMethods>('auditLog', `127.0.0.1:${grpcPort}`);
  });

  afterAll(async () => {
    client?.close();
    await service?.stop('SIGKILL');
    if (redis) await deleteKeys(redis, `${prefix}*`);
    await redis?.quit();
    await database?.drop();
  });

  it('records published events and lists them newest first, page by page', async () => {
    const tenantId = 'tenant-pages';
    const events = [1, 2, 3].map((minute) =>
      auditEvent({ tenantId, occurredAt: `2025-03-01T10:0${minute}:00.000Z` }),
    );
    for (const event of events) await publisher.publish(event);

    await waitForRecords(tenantId, 3);
    const first = await client.call('queryAudit', { tenantId, limit: 2 });
    const second = await client.call('queryAudit', {
      tenantId,
      limit: 2,
      cursor: first.nextCursor,
    });

    expect(first.records.map((record) => record.eventId)).toEqual([
      events[2].eventId,
      events[1].eventId,
    ]);
    expect(second.records.map((record) => record.eventId)).toEqual([events[0].eventId]);
    expect(second.nextCursor).toBe('');
    expect(first.records[0]).toMatchObject({
      requestId: events[2].requestId,
      tenantId,
      providerKeyId: 'pk-1',
      level: 1,
      status: 200,
      promptTokens: 10,
      totalTokens: 15,
      createdAt: '2025-03-01T10:03:00.000Z',
    });
  });

  it('stores an event published twice once, findable by request id', async () => {
    const tenantId = 'tenant-twice';
    const event = auditEvent({ tenantId, usage: null, providerKeyId: null });
    const marker = auditEvent({ tenantId });

    await publisher.publish(event);
    await publisher.publish(event);
    await publisher.publish(marker);

    // The stream is handled in order, so once the marker is stored both copies were handled.
    await waitForRecords(tenantId, 2);
    const byRequest = await client.call('queryAudit', { tenantId, requestId: event.requestId });
    expect(byRequest.records).toHaveLength(1);
    expect(byRequest.records[0]).toMatchObject({ providerKeyId: '', promptTokens: 0 });
    expect(await allRecords(tenantId)).toHaveLength(2);
  });

  it('moves an invalid entry to the dead-letter stream', async () => {
    const entryId = await redis.xadd(stream, '*', 'event', '{"type":"request"}');

    const dead = await waitFor(
      async () => {
        const entries = await redis.xrange(`${stream}:dead`, '-', '+');

        return entries.find(([, fields]) => fields.includes(entryId ?? ''));
      },
      10_000,
      'the dead letter',
    );

    expect(dead[1]).toContain('deadReason');
  });

  it('refuses a missing tenant and a forged cursor with INVALID_ARGUMENT', async () => {
    const noTenant = client.call('queryAudit', { tenantId: '' });
    const forged = client.call('queryAudit', { tenantId: 't', cursor: 'bm90LWEtY3Vyc29y' });

    await expect(noTenant).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
    await expect(forged).rejects.toBeInstanceOf(GrpcCallException);
    await expect(forged).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
  });

  it('records every event exactly once across a SIGKILL with entries pending', async () => {
    const tenantId = 'tenant-crash';
    const burst = Array.from({ length: 1500 }, () => auditEvent({ tenantId }));
    const pipeline = redis.pipeline();
    for (const event of burst) pipeline.xadd(stream, '*', 'event', JSON.stringify(event));
    await pipeline.exec();
    // Killed mid-burst: whatever batch it was handling stays pending with its dead name.
    await waitFor(
      async () => ((await countRecords(tenantId)) > 0 ? true : undefined),
      30_000,
      'a first row',
    );
    await service.stop('SIGKILL');
    const late = Array.from({ length: 20 }, () => auditEvent({ tenantId }));
    for (const event of late) await publisher.publish(event);
    // A second consumer that read entries and died without acknowledging them.
    await redis.xreadgroup('GROUP', 'audit-log', 'ghost', 'COUNT', 10, 'STREAMS', stream, '>');
    const pendingAtRestart = await pendingCount(redis, stream);

    await service.start();

    const records = await waitForRecords(tenantId, burst.length + late.length).catch(
      async (error: unknown) => {
        const got = await allRecords(tenantId);
        throw new Error(
          `${String(error)} got ${got.length} pending ${await pendingCount(redis, stream)}\n${service.logs().slice(-4000)}`,
        );
      },
    );
    const published = [...burst, ...late].map((event) => event.eventId).sort();
    expect(pendingAtRestart).toBeGreaterThanOrEqual(10);
    expect(records.map((record) => record.eventId).sort()).toEqual(published);
    await waitFor(
      async () => ((await pendingCount(redis, stream)) === 0 ? true : undefined),
      10_000,
      'no pending entries',
    );
  });

  it('exits cleanly on SIGTERM', async () => {
    const code = await service.stop('SIGTERM');

    expect(code).toBe(0);
  });

  async function countRecords(tenantId: string): Promise<number> {
    const page = await client.call('queryAudit', { tenantId, limit: 500 });

    return page.records.length;
  }
});

async function pendingCount(redis: Redis, stream: string): Promise<number> {
  const summary = (await redis.xpending(stream, 'audit-log')) as [number, ...unknown[]];

  return Number(summary[0]);
}

async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

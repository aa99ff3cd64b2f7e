import { randomBytes, randomUUID } from 'node:crypto';

import { AuditLogMethods, AuditRecord, GrpcClient } from '@xai/contracts';
import { createScratchDatabase, ScratchDatabase, testRedisUrl } from '@xai/devstack';
import { DEAD_LETTER_FIELDS, RequestAuditEvent, streamNames } from '@xai/events';
import Redis from 'ioredis';

import { auditEvent } from './audit-events';
import { AuditLogProcess, freePort, waitFor } from './audit-log.process';

// Events that one bad value must not hold up: the service as a real process on a real
// PostgreSQL and Redis, each batch published in one MULTI so that it is read as one batch.
describe('audit-log ingest: bounds, poison events and conflicting redeliveries (e2e)', () => {
  const prefix = `test:audit-ingest:${randomBytes(6).toString('hex')}:`;
  const stream = streamNames(prefix).audit;
  let database: ScratchDatabase;
  let redis: Redis;
  let service: AuditLogProcess;
  let client: GrpcClient<AuditLogMethods>;

  /** Publishes the events in one transaction, so the consumer reads them as one batch. */
  const publishBatch = async (events: RequestAuditEvent[]): Promise<void> => {
    const multi = redis.multi();
    for (const event of events) multi.xadd(stream, '*', 'event', JSON.stringify(event));
    await multi.exec();
  };

  const recordsOf = async (tenantId: string): Promise<AuditRecord[]> =>
    (await client.call('queryAudit', { tenantId, limit: 500 })).records;

  const waitForRecords = (tenantId: string, count: number): Promise<AuditRecord[]> =>
    waitFor(
      async () => {
        const records = await recordsOf(tenantId);

        return records.length >= count ? records : undefined;
      },
      20_000,
      `${count} records of ${tenantId}`,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${service.logs().slice(-3000)}`);
    });

  /** The dead letter of an event id, once it is there. */
  const deadLetterOf = (eventId: string): Promise<Record<string, string>> =>
    waitFor(
      async () => {
        for (const [, fields] of await redis.xrange(`${stream}:dead`, '-', '+')) {
          const named: Record<string, string> = {};
          for (let i = 0; i + 1 < fields.length; i += 2) named[fields[i]] = fields[i + 1];
          if (named.event?.includes(eventId)) return named;
        }

        return undefined;
      },
      20_000,
      `the dead letter of ${eventId}`,
    );

  beforeAll(async () => {
    database = await createScratchDatabase('xai_audit');
    redis = new Redis(testRedisUrl());
    const [httpPort, grpcPort] = [await freePort(), await freePort()];
    service = new AuditLogProcess(
      {
        LOG_LEVEL: 'warn',
        HTTP_PORT: String(httpPort),
        GRPC_PORT: String(grpcPort),
        ...database.serviceEnv,
        REDIS_URL: testRedisUrl(),
        XAI_REDIS_PREFIX: prefix,
      },
      httpPort,
    );
    await service.start();
    client = new GrpcClient<AuditLogMethods>('auditLog', `127.0.0.1:${grpcPort}`);
  }, 90_000);

  afterAll(async () => {
    client?.close();
    await service?.stop('SIGTERM');
    if (redis) {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    }
    await database?.drop();
  });

  it('records a usage too large for a 32-bit column, capped and flagged, with the rest of its batch', async () => {
    const huge = auditEvent({
      tenantId: 'tenant-huge',
      usage: { promptTokens: 3_000_000_000, completionTokens: 5, totalTokens: 3_000_000_005 },
    });
    const innocent = auditEvent({ tenantId: 'tenant-innocent' });

    await publishBatch([auditEvent({ tenantId: 'tenant-huge' }), huge, innocent]);

    const records = await waitForRecords('tenant-huge', 2);
    expect(await waitForRecords('tenant-innocent', 1)).toHaveLength(1);
    const capped = records.find((record) => record.eventId === huge.eventId);
    expect(capped).toMatchObject({
      promptTokens: 100_000_000,
      completionTokens: 5,
      ingestFlags: 'tokens_capped',
    });
    expect((await client.call('verifyAudit', { tenantId: 'tenant-huge' })).ok).toBe(true);
  });

  it('takes any JSON state and any whole token count, refuses only what cannot be stored, and reads on', async () => {
    const tenantId = 'tenant-odd-values';
    const change = (eventId: string, after: string): string =>
      `{"type":"management_change","eventId":"${eventId}","occurredAt":"${new Date().toISOString()}",` +
      `"tenantId":"${tenantId}","requestId":"req-odd","actorVirtualKeyId":"vk-1","actorMemberId":null,` +
      `"resource":"provider_key","resourceId":"pk-1","action":"update","before":null,"after":${after}}`;
    const constructorState = change(randomUUID(), '{"provider_type":"openai","constructor":null}');
    const deepId = randomUUID();
    const deepState = change(deepId, `${'['.repeat(5000)}1${']'.repeat(5000)}`);
    const vast = auditEvent({
      tenantId,
      usage: { promptTokens: 1e20, completionTokens: 5, totalTokens: 1e20 },
    });
    const after = auditEvent({ tenantId });
    const multi = redis.multi();
    for (const text of [constructorState, deepState, JSON.stringify(vast), JSON.stringify(after)]) {
      multi.xadd(stream, '*', 'event', text);
    }
    await multi.exec();

    const dead = await deadLetterOf(deepId);
    expect(dead[DEAD_LETTER_FIELDS.reason]).toBe('after: Invalid input: nested more than 256 deep');
    const records = await waitForRecords(tenantId, 2);
    expect(records.find((record) => record.eventId === vast.eventId)).toMatchObject({
      promptTokens: 100_000_000,
      ingestFlags: 'tokens_capped',
    });
    const changes = (await client.call('queryChanges', { tenantId })).records;
    expect(changes.map((record) => JSON.parse(record.afterJson) as unknown)).toEqual([
      { provider_type: 'openai', constructor: null },
    ]);
    expect((await client.call('verifyAudit', { tenantId })).ok).toBe(true);
    const pending = (await redis.xpending(stream, 'audit-log')) as [number];
    expect(pending[0]).toBe(0);
  });

  it('caps cached input at the input and reasoning at the output, flagged', async () => {
    const event = auditEvent({
      tenantId: 'tenant-parts',
      usage: {
        promptTokens: 10,
        cachedInputTokens: 50,
        completionTokens: 4,
        reasoningTokens: 9,
        totalTokens: 14,
      },
    });

    await publishBatch([event]);

    const [record] = await waitForRecords('tenant-parts', 1);
    expect(record).toMatchObject({
      cachedInputTokens: 10,
      reasoningTokens: 4,
      ingestFlags: 'cached_capped,reasoning_capped',
    });
  });

  it('dead-letters the event the database refuses, with its reason, and records the rest of its batch', async () => {
    // PostgreSQL text cannot hold a NUL character: the whole batch's transaction fails.
    const poison = auditEvent({ tenantId: 'tenant-poison', requestedModel: 'gpt\u0000-4o' });
    const before = auditEvent({ tenantId: 'tenant-poison' });
    const other = auditEvent({ tenantId: 'tenant-bystander' });

    await publishBatch([before, poison, other]);

    const dead = await deadLetterOf(poison.eventId);
    expect(dead[DEAD_LETTER_FIELDS.reason]).toMatch(/database refused the event \(SQLSTATE 22/);
    const records = await waitForRecords('tenant-poison', 1);
    expect(records.map((record) => record.eventId)).toEqual([before.eventId]);
    expect(await waitForRecords('tenant-bystander', 1)).toHaveLength(1);
    const pending = (await redis.xpending(stream, 'audit-log')) as [number];
    expect(pending[0]).toBe(0);
  });

  it('dead-letters an event past the text bounds, never storing it, and still answers queries', async () => {
    const oversized = auditEvent({ tenantId: 'tenant-big', requestedModel: 'x'.repeat(5_000) });
    const fine = auditEvent({ tenantId: 'tenant-big' });

    await publishBatch([oversized, fine]);

    const dead = await deadLetterOf(oversized.eventId);
    expect(dead[DEAD_LETTER_FIELDS.reason]).toContain('requestedModel');
    const records = await waitForRecords('tenant-big', 1);
    expect(records.map((record) => record.eventId)).toEqual([fine.eventId]);
  });

  it('dead-letters an event dated in year 0000 with the reason, not the database error', async () => {
    const undated = auditEvent({ tenantId: 'tenant-year0', occurredAt: '0000-01-01T00:00:00Z' });
    const fine = auditEvent({ tenantId: 'tenant-year0' });

    await publishBatch([undated, fine]);

    const dead = await deadLetterOf(undated.eventId);
    expect(dead[DEAD_LETTER_FIELDS.reason]).toBe(
      'occurredAt: Invalid input: expected a time from year 0001 to 9999, as PostgreSQL stores it',
    );
    const records = await waitForRecords('tenant-year0', 1);
    expect(records.map((record) => record.eventId)).toEqual([fine.eventId]);
  });

  it('keeps the stored event and warns when its id comes again with different content', async () => {
    const original = auditEvent({ tenantId: 'tenant-dup' });
    await publishBatch([original]);
    await waitForRecords('tenant-dup', 1);

    await publishBatch([{ ...original, status: 599, requestId: 'req_forged' }, original]);
    const marker = auditEvent({ tenantId: 'tenant-dup' });
    await publishBatch([marker]);

    const records = await waitForRecords('tenant-dup', 2);
    const stored = records.find((record) => record.eventId === original.eventId);
    expect(stored).toMatchObject({ status: 200, requestId: original.requestId });
    const warnings = service
      .logs()
      .split('\n')
      .filter((line) => line.includes('came again with different content'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(original.eventId);
    expect(warnings[0]).not.toContain('req_forged');
  });
});

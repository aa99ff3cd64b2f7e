import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';

import { AuditLogMethods, GrpcClient } from '@xai/contracts';
import { createScratchDatabase, ScratchDatabase, testRedisUrl } from '@xai/devstack';
import { AuditStreamEvent, StreamPublisher, streamNames } from '@xai/events';
import Redis from 'ioredis';
import { Client } from 'pg';

import { auditEvent } from './audit-events';
import { AuditLogProcess, freePort, waitFor } from './audit-log.process';

const REPO_ROOT = join(__dirname, '..', '..', '..');
const T = '"audit_log"."request_events"';

/** Runs the `audit verify` CLI from its sources, as an operator would run the built one. */
function runVerifyCli(
  env: Record<string, string>,
  tenantId: string,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', 'apps/audit-log/src/cli.ts', 'verify', '--tenant', tenantId],
      { cwd: REPO_ROOT, env: { ...process.env, ...env, LOG_LEVEL: 'warn' } },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

// The service as a real process on a real PostgreSQL and Redis; the CLI as a real process.
describe('the audit trail: append-only, hash-chained, verifiable (e2e)', () => {
  const prefix = `test:audit-trail:${randomBytes(6).toString('hex')}:`;
  let database: ScratchDatabase;
  let redis: Redis;
  let publisher: StreamPublisher<AuditStreamEvent>;
  let service: AuditLogProcess;
  let client: GrpcClient<AuditLogMethods>;
  let sql: Client;

  const publishAll = async (events: AuditStreamEvent[]): Promise<void> => {
    for (const event of events) await publisher.publish(event);
  };

  const waitForChain = (tenantId: string, length: number): Promise<number> =>
    waitFor(
      async () => {
        const result = await client.call('verifyAudit', { tenantId });

        return result.heads[0]?.seq === length ? length : undefined;
      },
      30_000,
      `${length} entries in the chain of ${tenantId}`,
    ).catch(async (error: unknown) => {
      const last = await client.call('verifyAudit', { tenantId }).catch((e: unknown) => e);
      throw new Error(`${String(error)}\n${JSON.stringify(last)}\n${service.logs().slice(-3000)}`);
    });

  beforeAll(async () => {
    database = await createScratchDatabase('xai_audit');
    redis = new Redis(testRedisUrl());
    publisher = new StreamPublisher<AuditStreamEvent>(redis, streamNames(prefix).audit);
    const [httpPort, grpcPort] = [await freePort(), await freePort()];
    service = new AuditLogProcess(
      {
        LOG_LEVEL: 'warn',
        HTTP_PORT: String(httpPort),
        GRPC_PORT: String(grpcPort),
        ...database.serviceEnv,
        REDIS_URL: testRedisUrl(),
        XAI_REDIS_PREFIX: prefix,
        AUDIT_ROLLUP_INTERVAL_MS: '300',
      },
      httpPort,
    );
    await service.start();
    client = new GrpcClient<AuditLogMethods>('auditLog', `127.0.0.1:${grpcPort}`);
    sql = new Client({ connectionString: database.url });
    await sql.connect();
  }, 90_000);

  afterAll(async () => {
    await sql?.end();
    client?.close();
    await service?.stop('SIGTERM');
    if (redis) {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    }
    await database?.drop();
  });

  it('chains requests, key uses and management changes of a tenant, and verifies them', async () => {
    const tenantId = 'tenant-chain';
    const common = () => ({
      eventId: randomUUID(),
      occurredAt: new Date().toISOString(),
      tenantId,
    });
    await publishAll([
      auditEvent({ tenantId }),
      {
        ...common(),
        type: 'key_use',
        providerKeyId: 'pk-1',
        operation: 'decrypt',
        requestId: 'req_1',
        slotId: 'vk-1',
        outcome: 'ok',
      },
      {
        ...common(),
        type: 'management_change',
        requestId: 'req_2',
        actorVirtualKeyId: 'vk-1',
        actorMemberId: null,
        resource: 'tenant_config',
        resourceId: null,
        action: 'update',
        before: { LevelMapper: '' },
        after: { LevelMapper: 'gpt*=1', Nested: { b: 1, a: [true, null] } },
      },
      auditEvent({ tenantId }),
    ]);

    await waitForChain(tenantId, 4);
    const verdict = await client.call('verifyAudit', { tenantId, full: true });
    const cli = await runVerifyCli(database.serviceEnv, tenantId);

    expect(verdict).toMatchObject({ ok: true, tenantsChecked: 1, entriesChecked: 4 });
    expect(cli.code).toBe(0);
    expect(cli.output).toContain('OK: every chain holds');
  });

  it('refuses UPDATE, DELETE and TRUNCATE on the trail by the application role', async () => {
    const tenantId = 'tenant-refuse';
    await publishAll([auditEvent({ tenantId })]);
    await waitForChain(tenantId, 1);
    const asWriter = async (statement: string): Promise<unknown> => {
      await sql.query('BEGIN');
      try {
        await sql.query('SET LOCAL ROLE xai_audit_writer');
        return await sql.query(statement);
      } finally {
        await sql.query('ROLLBACK');
      }
    };

    const update = asWriter(`UPDATE ${T} SET "status" = 500 WHERE "tenant_id" = '${tenantId}'`);
    await expect(update).rejects.toThrow(/permission denied|append-only/);
    const remove = asWriter(`DELETE FROM ${T} WHERE "tenant_id" = '${tenantId}'`);
    await expect(remove).rejects.toThrow(/permission denied|append-only/);
    const truncate = asWriter(`TRUNCATE ${T}`);
    await expect(truncate).rejects.toThrow(/permission denied|append-only/);
    // The login user (a superuser here) is refused by the triggers as well.
    const direct = sql.query(`UPDATE ${T} SET "status" = 500 WHERE "tenant_id" = '${tenantId}'`);
    await expect(direct).rejects.toThrow(/append-only/);
    const stored = await sql.query(`SELECT "status" FROM ${T} WHERE "tenant_id" = $1`, [tenantId]);
    expect(stored.rows).toEqual([{ status: 200 }]);
  });

  it('names the row a superuser edited behind the triggers', async () => {
    const tenantId = 'tenant-tamper';
    const events = [1, 2, 3, 4].map(() => auditEvent({ tenantId }));
    await publishAll(events);
    await waitForChain(tenantId, 4);
    const victim = (
      await sql.query(`SELECT "event_id" FROM ${T} WHERE "tenant_id" = $1 AND "chain_seq" = 3`, [
        tenantId,
      ])
    ).rows[0] as { event_id: string };

    await sql.query('BEGIN');
    await sql.query('SET LOCAL session_replication_role = replica');
    await sql.query(`UPDATE ${T} SET "completion_tokens" = 1 WHERE "event_id" = $1`, [
      victim.event_id,
    ]);
    await sql.query('COMMIT');
    // The edited row is below the position the last (incremental) check verified: a full
    // check walks the whole chain, as the CLI does by default.
    const verdict = await client.call('verifyAudit', { tenantId, full: true });
    const everyone = await client.call('verifyAudit', { full: true });
    const cli = await runVerifyCli(database.serviceEnv, tenantId);

    expect(verdict.ok).toBe(false);
    expect(verdict.firstBroken).toMatchObject({
      tenantId,
      seq: 3,
      eventId: victim.event_id,
      kind: 'request',
      reason: 'hash_mismatch',
    });
    expect(everyone.ok).toBe(false);
    expect(everyone.firstBroken?.eventId).toBe(victim.event_id);
    expect(cli.code).toBe(1);
    expect(cli.output).toContain(victim.event_id);
  });

  it('reports a removed entry as a missing position', async () => {
    const tenantId = 'tenant-gap';
    await publishAll([1, 2, 3].map(() => auditEvent({ tenantId })));
    await waitForChain(tenantId, 3);

    await sql.query('BEGIN');
    await sql.query('SET LOCAL session_replication_role = replica');
    await sql.query(`DELETE FROM ${T} WHERE "tenant_id" = $1 AND "chain_seq" = 2`, [tenantId]);
    await sql.query('COMMIT');
    const verdict = await client.call('verifyAudit', { tenantId });

    expect(verdict.firstBroken).toMatchObject({ seq: 2, reason: 'missing_entry' });
  });

  it('sums usage by kind and cost from the rollups, at the price table arithmetic', async () => {
    const tenantId = 'tenant-usage';
    const at = '2025-05-05T10:15:00.000Z';
    const usage = (prompt: number, cached: number, completion: number, reasoning: number) => ({
      promptTokens: prompt,
      cachedInputTokens: cached,
      completionTokens: completion,
      reasoningTokens: reasoning,
      totalTokens: prompt + completion,
    });
    await publishAll([
      auditEvent({
        tenantId,
        occurredAt: at,
        upstreamModel: 'gpt-4o',
        usage: usage(1000, 400, 200, 0),
      }),
      auditEvent({
        tenantId,
        occurredAt: at,
        upstreamModel: 'gpt-4o',
        usage: usage(10, 0, 5, 0),
      }),
      auditEvent({
        tenantId,
        occurredAt: at,
        upstreamModel: 'o4-mini-2025-04-16',
        usage: usage(100, 0, 900, 700),
      }),
      auditEvent({
        tenantId,
        occurredAt: at,
        upstreamModel: 'my-local-llama',
        usage: usage(7, 0, 3, 0),
      }),
      auditEvent({ tenantId, occurredAt: at, upstreamModel: 'gpt-4o', status: 502, usage: null }),
    ]);

    const answer = await waitFor(
      async () => {
        const result = await client.call('queryUsage', {
          tenantId,
          groupBy: 'USAGE_GROUP_BY_MODEL',
          from: '2025-05-05T00:00:00Z',
          to: '2025-05-06T00:00:00Z',
        });

        return result.total?.requests === 5 ? result : undefined;
      },
      30_000,
      'the rollups',
    );

    // gpt-4o ($2.50 in, $1.25 cached, $10 out per 1M): 600×2.5 + 400×1.25 + 200×10 and 10×2.5 + 5×10.
    // o4-mini ($1.10 in, $4.40 out, reasoning at the output price): 100×1.1 + 900×4.4.
    const byModel = Object.fromEntries(answer.rows.map((row) => [row.key, row]));
    expect(byModel['gpt-4o']).toMatchObject({
      requests: 3,
      errors: 1,
      inputTokens: 1010,
      cachedInputTokens: 400,
      outputTokens: 205,
      costUsd: '0.004075000000',
      unpricedRequests: 0,
    });
    expect(byModel['o4-mini-2025-04-16']).toMatchObject({
      reasoningTokens: 700,
      costUsd: '0.004070000000',
    });
    expect(byModel['my-local-llama']).toMatchObject({
      inputTokens: 7,
      costUsd: '0.000000000000',
      unpricedRequests: 1,
    });
    expect(answer.total).toMatchObject({
      requests: 5,
      inputTokens: 1117,
      outputTokens: 1108,
      costUsd: '0.008145000000',
    });
  });
});

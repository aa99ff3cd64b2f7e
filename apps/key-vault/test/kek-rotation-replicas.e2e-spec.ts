import { randomBytes, randomUUID } from 'node:crypto';

import { status } from '@grpc/grpc-js';
import { GetKekRotationStatusResponse, GrpcClient, KeyVaultMethods } from '@xai/contracts';
import { generateKek } from '@xai/crypto';
import { createScratchDatabase, ScratchDatabase, testRedisUrl } from '@xai/devstack';
import Redis from 'ioredis';
import { Client } from 'pg';

import { newCredential, rpcError } from './grpc-test-helpers';
import { KeyVaultProcess } from './key-vault-process';

const KEKS = [generateKek(), generateKek()];
const ONE = `1:${KEKS[0]}`;
const ONE_AND_TWO = `1:${KEKS[0]},2:${KEKS[1]}`;
const TENANTS = 3;

type Replica = { vault: KeyVaultProcess; client: GrpcClient<KeyVaultMethods> };

/**
 * Several key-vault replicas sharing one database and one BullMQ queue, each with its own key
 * ring, as during a rolling KEK change: a rotation job must rewrap to the version it was
 * queued for or fail visibly, and a replica without a version the slots use must say so.
 */
describe('KEK rotation across key-vault replicas with different key rings', () => {
  const prefix = `xai-kv-rot-${randomBytes(4).toString('hex')}:`;
  let database: ScratchDatabase;
  const replicas: Replica[] = [];
  let failing: Replica;
  let stale: Replica;
  let current: Replica;

  async function start(ring: string, worker: boolean): Promise<Replica> {
    const vault = await KeyVaultProcess.start({
      ...database.serviceEnv,
      XAI_KEK: ring,
      XAI_REDIS_PREFIX: prefix,
      XAI_KEK_ROTATION_WORKER: String(worker),
    });
    await vault.waitUntilReady();
    const replica = { vault, client: vault.client() };
    replicas.push(replica);

    return replica;
  }

  async function stop(replica: Replica): Promise<void> {
    replica.client.close();
    await replica.vault.stop();
  }

  async function slotVersions(): Promise<number[]> {
    const db = new Client({ connectionString: database.url });
    await db.connect();
    try {
      const rows = await db.query<{ kek_version: number }>(
        'SELECT kek_version FROM key_vault.credential_slots ORDER BY tenant_id, slot_id',
      );

      return rows.rows.map((row) => row.kek_version);
    } finally {
      await db.end();
    }
  }

  async function settled(replica: Replica, jobId: string): Promise<GetKekRotationStatusResponse> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const state = await replica.client.call('getKekRotationStatus', { jobId });
      const done = ['KEK_ROTATION_STATE_COMPLETED', 'KEK_ROTATION_STATE_FAILED'];
      if (done.includes(state.state)) return state;
      if (Date.now() > deadline) throw new Error(`job ${jobId} still ${state.state}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  beforeAll(async () => {
    database = await createScratchDatabase('xai_kv_rot');
    // Both old-ring replicas start before any replica stores version 2's check value.
    failing = await start(ONE, true);
    stale = await start(ONE, false);
    for (let index = 0; index < TENANTS; index += 1) {
      await failing.client.call('createKeyring', {
        tenantId: randomUUID(),
        credentials: [newCredential(), newCredential()],
      });
    }
    current = await start(ONE_AND_TWO, false);
  }, 120_000);

  afterAll(async () => {
    for (const replica of replicas) await stop(replica);
    await database?.drop();
    // The replicas shared a queue under a prefix of this test's own: leave nothing behind.
    const redis = new Redis(testRedisUrl());
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  }, 60_000);

  it('fails a job picked up by a replica without its target version, visibly, rewrapping nothing', async () => {
    const { jobId, targetVersion } = await current.client.call('startKekRotation', {
      batchSize: 2,
    });

    const seenByStarter = await settled(current, jobId);
    const seenByWorker = await failing.client.call('getKekRotationStatus', { jobId });

    expect(targetVersion).toBe(2);
    expect(seenByStarter).toMatchObject({
      state: 'KEK_ROTATION_STATE_FAILED',
      targetVersion: 2,
      rewrapped: 0,
    });
    expect(seenByStarter.error).toContain('KEK version 2 is not loaded in this key-vault replica');
    expect(seenByWorker.state).toBe('KEK_ROTATION_STATE_FAILED');
    expect(seenByWorker.error).toBe(seenByStarter.error);
    expect(seenByStarter.error).not.toContain(KEKS[1]);
    expect(await slotVersions()).toEqual(Array(TENANTS * 2).fill(1));
    expect((await failing.vault.get('/readyz')).status).toBe(200);
  });

  it('refuses to queue a rotation to a version the asked replica does not hold', async () => {
    const error = await rpcError(
      stale.client.call('startKekRotation', { batchSize: 0, targetVersion: 2 }),
    );

    expect(error.code).toBe(status.FAILED_PRECONDITION);
    expect(error.details).toContain('KEK version 2 is not loaded');
  });

  it('completes on a replica that holds the version; a replica without it then reports not ready', async () => {
    await stop(failing);
    const ports = { httpPort: current.vault.httpPort, grpcPort: current.vault.grpcPort };
    await stop(current);
    const vault = await KeyVaultProcess.start(
      {
        ...database.serviceEnv,
        XAI_KEK: ONE_AND_TWO,
        XAI_REDIS_PREFIX: prefix,
        XAI_KEK_ROTATION_WORKER: 'true',
      },
      ports,
    );
    await vault.waitUntilReady();
    current = { vault, client: vault.client() };
    replicas.push(current);
    const staleBefore = await stale.vault.get('/readyz');

    const { jobId } = await current.client.call('startKekRotation', {
      batchSize: 0,
      targetVersion: 2,
    });
    const done = await settled(current, jobId);
    const seenByStale = await stale.client.call('getKekRotationStatus', { jobId });
    const staleAfter = await stale.vault.get('/readyz');

    expect(staleBefore.status).toBe(200);
    expect(done).toMatchObject({
      state: 'KEK_ROTATION_STATE_COMPLETED',
      rewrapped: TENANTS * 2,
      failed: 0,
      error: '',
    });
    expect(seenByStale.state).toBe('KEK_ROTATION_STATE_COMPLETED');
    expect(await slotVersions()).toEqual(Array(TENANTS * 2).fill(2));
    expect(staleAfter.status).toBe(503);
    expect(JSON.stringify(staleAfter.body)).toContain('KEK version 2, which is not loaded');
    expect((await current.vault.get('/readyz')).status).toBe(200);
  });
});

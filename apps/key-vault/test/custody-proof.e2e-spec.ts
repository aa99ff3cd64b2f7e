import { createHash, createHmac, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { status } from '@grpc/grpc-js';
import {
  GetKekRotationStatusResponse,
  GrpcClient,
  KeyVaultMethods,
  PlanKekRotationResponse,
} from '@xai/contracts';
import {
  generateKek,
  generateVirtualKey,
  virtualKeyLookupHash,
  virtualKeyWrappingSecret,
} from '@xai/crypto';
import { RunningStack, startStack } from '@xai/devstack';
import { providerKeyDestination } from '@xai/providers';

import { rpcError } from './grpc-test-helpers';
import {
  GatewayClient,
  auditEvents,
  databaseTexts,
  encodingsOf,
  eventually,
  keyVaultClient,
  logTexts,
  mockRequests,
  redisTexts,
  stackSecret,
  withDatabase,
} from './stack-helpers';

const CANARIES = {
  first: `sk-canary-first-${randomUUID()}`,
  second: `sk-canary-second-${randomUUID()}`,
  replacement: `sk-canary-replacement-${randomUUID()}`,
};
const KEKS = [generateKek(), generateKek(), generateKek()];

/** Runs `step` over and over until `stop()` resolves, counting answers and failures. */
async function trafficUntil(stop: Promise<unknown>, step: () => Promise<boolean>) {
  const tally = { ok: 0, failed: 0 };
  let done = false;
  void stop.finally(() => {
    done = true;
  });
  const worker = async (): Promise<void> => {
    while (!done) {
      if (await step().catch(() => false)) tally.ok += 1;
      else tally.failed += 1;
    }
  };
  await Promise.all([worker(), worker()]);

  return tally;
}

describe('key custody through the real services (two gateway replicas)', () => {
  const bodies: string[] = [];
  let kekDir: string;
  let kekFile: string;
  let stack: RunningStack;
  let owner: GatewayClient;
  let replicas: GatewayClient[];
  let vault: GrpcClient<KeyVaultMethods>;
  let tenantId: string;
  let ownerKeyId: string;
  const keyIds: Record<'first' | 'second', string> = { first: '', second: '' };

  async function writeRing(versions: number): Promise<void> {
    const ring = KEKS.slice(0, versions).map((kek, index) => `${index + 1}:${kek}`);
    await writeFile(kekFile, ring.join(','), { mode: 0o600 });
  }

  async function rotateToCompletion(batchSize: number): Promise<GetKekRotationStatusResponse> {
    const { jobId } = await vault.call('startKekRotation', { batchSize });

    return eventually(async () => {
      const state = await vault.call('getKekRotationStatus', { jobId });

      return state.state === 'KEK_ROTATION_STATE_COMPLETED' ? state : undefined;
    }, 60_000);
  }

  /** Where the test's provider keys are sent (the mock provider), as key-vault binds it. */
  function mockDestination() {
    return providerKeyDestination(stack.mockProviderUrl ?? '', 'openai');
  }

  async function dropCachedSecret(id: string): Promise<void> {
    const renamed = await owner.request('PUT', `/x-keys/${id}`, {
      Name: `renamed-${randomUUID()}`,
    });
    expect(renamed.status).toBe(200);
  }

  beforeAll(async () => {
    kekDir = await mkdtemp(join(tmpdir(), 'xai-kek-'));
    kekFile = join(kekDir, 'kek');
    await writeRing(1);
    stack = await startStack({
      isolate: true,
      withMockProvider: true,
      gatewayReplicas: 2,
      env: {
        'key-vault': {
          XAI_KEK: '',
          XAI_KEK_FILE: kekFile,
          XAI_KEK_ROTATION_BATCH_PAUSE_MS: '100',
          XAI_SLOT_SWEEP_INTERVAL_SECONDS: '1',
        },
      },
    });
    owner = new GatewayClient(stack.gatewayUrls[0], stack.ownerKey, bodies);
    replicas = stack.gatewayUrls.map((baseUrl) => owner.with({ baseUrl }));
    vault = await keyVaultClient(stack);
    const keys = (await owner.request('GET', '/x-virtual-keys')).json.data as Array<
      Record<string, string>
    >;
    ownerKeyId = keys.find((key) => key.Role === 'owner')?.ID ?? '';
    tenantId = await withDatabase(stack, 'config', async (db) => {
      const rows = await db.query<{ id: string }>('SELECT id FROM config.tenants');

      return rows.rows[0].id;
    });
  }, 180_000);

  afterAll(async () => {
    vault?.close();
    await stack?.stop();
    await rm(kekDir, { recursive: true, force: true });
  }, 60_000);

  it('creates the tenant with an owner slot and a recovery-code slot', async () => {
    const keys = (await owner.request('GET', '/x-virtual-keys')).json.data as Array<
      Record<string, string>
    >;
    const slots = await withDatabase(stack, 'key-vault', (db) =>
      db.query<{ slot_id: string }>(
        'SELECT slot_id FROM key_vault.credential_slots WHERE tenant_id = $1',
        [tenantId],
      ),
    );

    expect(keys.map((key) => key.Role).sort()).toEqual(['owner', 'recovery']);
    expect(slots.rows.map((row) => row.slot_id).sort()).toEqual(keys.map((key) => key.ID).sort());
    expect(stack.shownOnce.map((shown) => shown.what)).toEqual([
      expect.stringContaining('recovery code'),
    ]);
    expect(stack.logs('gateway').join('\n')).toContain('recovery code');
    expect(stack.logs().join('\n')).not.toContain(stack.shownOnce[0].secret);
  });

  it('stores canary provider keys on two levels', async () => {
    const conf = await owner.request('POST', '/x-conf', { LevelMapper: 'gpt-4*=1,claude*=2' });
    for (const [name, level] of [
      ['first', 1],
      ['second', 2],
    ] as const) {
      const created = await owner.request('POST', '/x-keys', {
        SecretKey: CANARIES[name],
        Name: name,
        Level: level,
        Provider: stack.mockProviderUrl,
        Status: true,
      });
      expect(created.status).toBe(201);
      keyIds[name] = String(created.json.ID);
    }

    const answers = await Promise.all(replicas.map((replica) => replica.chat('gpt-4o')));

    expect(conf.status).toBe(200);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    expect((await mockRequests(stack)).at(-1)?.apiKey).toBe(CANARIES.first);
  });

  it('refuses key-vault calls that do not carry the gateway service token', async () => {
    const url = stack.services['key-vault'].grpcUrl ?? '';
    const anonymous = new GrpcClient<KeyVaultMethods>('keyVault', url);
    const impostor = new GrpcClient<KeyVaultMethods>('keyVault', url, {
      metadata: { 'x-xai-service-token': 'x'.repeat(48) },
    });
    const request = {
      tenantId,
      providerKeyId: keyIds.first,
      credential: { slotId: ownerKeyId, wrappingSecret: virtualKeyWrappingSecret(stack.ownerKey) },
      requestId: 'impostor',
      destination: mockDestination(),
    };

    try {
      const errors = [
        await rpcError(anonymous.call('decryptProviderKey', request)),
        await rpcError(impostor.call('decryptProviderKey', request)),
        await rpcError(anonymous.call('planKekRotation', {})),
      ];
      const opened = await vault.call('decryptProviderKey', request);

      expect(errors.map((error) => error.code)).toEqual(Array(3).fill(status.PERMISSION_DENIED));
      expect(opened.secretKey).toBe(CANARIES.first);
    } finally {
      anonymous.close();
      impostor.close();
    }
  });

  it('issues a member key that works on every replica, and revokes it everywhere at once', async () => {
    const issued = await owner.request('POST', '/x-virtual-keys', { Name: 'ci', Role: 'member' });
    const member = String(issued.json.Key);
    const before = await Promise.all(
      replicas.map((replica) => replica.with({ key: member }).chat()),
    );

    const revoked = await replicas[0].request(
      'DELETE',
      `/x-virtual-keys/${String(issued.json.ID)}`,
    );
    const refusedAt = await Promise.all(
      replicas.map((replica) =>
        eventually(async () => {
          const answer = await replica.with({ key: member }).chat();

          return answer.status === 401 ? Date.now() : undefined;
        }),
      ),
    );

    expect(issued.status).toBe(201);
    expect(member).toMatch(/^xai-/);
    expect(before.map((answer) => answer.status)).toEqual([200, 200]);
    expect(revoked.status).toBe(200);
    expect(refusedAt).toHaveLength(2);
    expect(JSON.stringify((await owner.request('GET', '/x-virtual-keys')).json)).not.toContain(
      member,
    );
  });

  it('rotates its own key: the old one works for its grace period, then stops, and its slot goes', async () => {
    const second = await owner.request('POST', '/x-virtual-keys', { Name: 'ops', Role: 'owner' });
    const oldKey = owner.with({ key: String(second.json.Key) });

    const rotated = await oldKey.request('POST', '/x-self/rotate', { GracePeriodSeconds: 2 });
    const newKey = owner.with({ key: String(rotated.json.Key) });
    const duringGrace = await oldKey.request('GET', '/x-keys');
    const afterGrace = await eventually(async () => {
      const answer = await oldKey.request('GET', '/x-keys');

      return answer.status === 401 ? answer : undefined;
    });
    const slotGone = await eventually(() =>
      withDatabase(stack, 'key-vault', async (db) => {
        const rows = await db.query('SELECT 1 FROM key_vault.credential_slots WHERE slot_id = $1', [
          second.json.ID,
        ]);

        return rows.rowCount === 0 ? true : undefined;
      }),
    );

    expect(rotated.status).toBe(201);
    expect(rotated.json.Previous).toMatchObject({
      ID: second.json.ID,
      ExpiresAt: expect.any(String),
    });
    expect(duringGrace.status).toBe(200);
    expect(afterGrace.status).toBe(401);
    expect(slotGone).toBe(true);
    expect((await newKey.chat()).status).toBe(200);
  });

  it('recovers an owner key with the recovery code, which opens nothing else', async () => {
    const first = stack.shownOnce[0]?.secret;
    const replaced = await owner.request('POST', '/x-recovery-code');
    const code = owner.with({ key: String(replaced.json.RecoveryCode) });

    const asApiKey = await Promise.all([code.request('GET', '/x-keys'), code.chat()]);
    const recovered = await code.request('POST', '/x-recover', { Name: 'recovered' });
    const newOwner = owner.with({ key: String(recovered.json.Key) });
    const stale = await owner.with({ key: first ?? 'none' }).request('POST', '/x-recover', {});

    expect(first).toMatch(/^xrc-/);
    expect(replaced.status).toBe(201);
    expect(asApiKey.map((answer) => answer.status)).toEqual([401, 401]);
    expect(recovered.status).toBe(201);
    expect(recovered.json).toMatchObject({ Role: 'owner', Name: 'recovered' });
    expect((await newOwner.request('GET', '/x-keys')).status).toBe(200);
    expect((await newOwner.chat()).status).toBe(200);
    expect(stale.status).toBe(401);
  });

  it('replacing a key: no replica uses the old secret more than two seconds later', async () => {
    let replacedAt = 0;
    const replace = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const answer = await owner.request('PUT', `/x-keys/${keyIds.first}`, {
        SecretKey: CANARIES.replacement,
      });
      replacedAt = Date.now();
      expect(answer.status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 3_000));
    })();

    const tallies = await Promise.all(
      replicas.map((replica) =>
        trafficUntil(replace, async () => (await replica.chat()).status === 200),
      ),
    );
    const late = (await mockRequests(stack)).filter(
      (request) => Date.parse(request.receivedAt) > replacedAt + 2_000,
    );

    expect(tallies.map((tally) => tally.failed)).toEqual([0, 0]);
    expect(late.length).toBeGreaterThan(10);
    expect(late.filter((request) => request.apiKey !== CANARIES.replacement)).toEqual([]);
  });

  describe('against a tampered database', () => {
    let original: Buffer;

    beforeAll(async () => {
      original = await withDatabase(stack, 'key-vault', async (db) => {
        const rows = await db.query<{ ciphertext: Buffer }>(
          'SELECT ciphertext FROM key_vault.provider_key_ciphertexts WHERE provider_key_id = $1',
          [keyIds.first],
        );

        return rows.rows[0].ciphertext;
      });
    });

    afterEach(async () => {
      await withDatabase(stack, 'key-vault', (db) =>
        db.query(
          'UPDATE key_vault.provider_key_ciphertexts SET ciphertext = $1 WHERE provider_key_id = $2',
          [original, keyIds.first],
        ),
      );
      await dropCachedSecret(keyIds.first);
    });

    it.each([
      ['a flipped bit in the nonce', `set_byte(ciphertext, 3, get_byte(ciphertext, 3) # 1)`],
      ['a flipped bit in the ciphertext', `set_byte(ciphertext, 30, get_byte(ciphertext, 30) # 8)`],
      [
        'a flipped bit in the tag',
        `set_byte(ciphertext, length(ciphertext) - 1, get_byte(ciphertext, length(ciphertext) - 1) # 128)`,
      ],
      [
        'the ciphertext of another key',
        `(SELECT ciphertext FROM key_vault.provider_key_ciphertexts WHERE provider_key_id = $2)`,
      ],
    ])('fails cleanly on %s, never calls the provider, and audits it', async (_case, tampered) => {
      await withDatabase(stack, 'key-vault', (db) =>
        db.query(
          `UPDATE key_vault.provider_key_ciphertexts SET ciphertext = ${tampered} WHERE provider_key_id = $1`,
          tampered.includes('$2') ? [keyIds.first, keyIds.second] : [keyIds.first],
        ),
      );
      await dropCachedSecret(keyIds.first);
      // Wait until each replica has dropped the plaintext and so asks key-vault again.
      for (const replica of replicas) {
        await eventually(async () => ((await replica.chat()).status === 200 ? undefined : true));
      }
      const calledBefore = (await mockRequests(stack)).length;

      const answers = await Promise.all(
        [...replicas, ...replicas].map((replica) => replica.chat()),
      );
      const calledAfter = (await mockRequests(stack)).length;
      const failedUses = await eventually(async () => {
        const uses = (await auditEvents(stack)).filter(
          (event) =>
            event.type === 'key_use' &&
            event.providerKeyId === keyIds.first &&
            event.outcome === 'error',
        );

        return uses.length > 0 ? uses : undefined;
      });

      expect(answers.map((answer) => answer.status)).toEqual(Array(4).fill(502));
      expect(answers.map((answer) => (answer.json.error as Record<string, unknown>).code)).toEqual(
        Array(4).fill('provider_key_unavailable'),
      );
      expect(calledAfter).toBe(calledBefore);
      expect(failedUses[0]).toMatchObject({ operation: 'decrypt', tenantId });
    });
  });

  it('does not authenticate a row inserted with the hash of a secret the attacker chose', async () => {
    const chosen = generateVirtualKey();
    // Without the pepper, which is in no database, an attacker can only guess the keyed hash.
    const guesses = [
      createHash('sha256').update(chosen).digest('hex'),
      createHmac('sha256', chosen).update(chosen).digest('hex'),
      virtualKeyLookupHash(chosen, 'an-attacker-guess-at-the-pepper-0123456789'),
    ];
    const insert = (hash: string) =>
      withDatabase(stack, 'config', (db) =>
        db.query(
          `INSERT INTO config.virtual_keys (id, tenant_id, key_hash, hint, role, name, status)
           VALUES ($1, $2, $3, 'xai-', 'owner', 'attacker', 'active')`,
          [randomUUID(), tenantId, hash],
        ),
      );
    for (const hash of guesses) await insert(hash);

    const answers = await Promise.all(
      replicas.map((replica) => replica.with({ key: chosen }).request('GET', '/x-keys')),
    );

    expect(answers.map((answer) => answer.status)).toEqual([401, 401]);

    // The control: the same insert with the real pepper would authenticate, so the pepper is
    // what stops the attack. Even then the key has no slot, so no provider key opens.
    const pepper = await stackSecret(stack, 'pepper');
    const minted = generateVirtualKey();
    await insert(virtualKeyLookupHash(minted, pepper));
    await dropCachedSecret(keyIds.second);
    const calledBefore = (await mockRequests(stack)).length;
    const listed = await owner.with({ key: minted }).request('GET', '/x-keys');
    const called = await owner.with({ key: minted }).chat('claude-3');

    expect(listed.status).toBe(200);
    expect(called.status).toBe(502);
    expect((await mockRequests(stack)).length).toBe(calledBefore);
    await withDatabase(stack, 'config', (db) =>
      db.query(`DELETE FROM config.virtual_keys WHERE name = 'attacker'`),
    );
  });

  it('rotates the KEK under continuous traffic without a failed request', async () => {
    await writeRing(2);
    await stack.restart('key-vault');
    const plan: PlanKekRotationResponse = await vault.call('planKekRotation', {});
    const credential = {
      slotId: ownerKeyId,
      wrappingSecret: virtualKeyWrappingSecret(stack.ownerKey),
    };

    const rotation = rotateToCompletion(1);
    const [httpTallies, grpcTally] = await Promise.all([
      Promise.all(
        replicas.map((replica) =>
          trafficUntil(rotation, async () => (await replica.chat()).status === 200),
        ),
      ),
      trafficUntil(rotation, async () => {
        const opened = await vault.call('decryptProviderKey', {
          tenantId,
          providerKeyId: keyIds.second,
          credential,
          requestId: randomUUID(),
          destination: mockDestination(),
        });

        return opened.secretKey === CANARIES.second;
      }),
    ]);
    const done = await rotation;

    expect(plan.targetVersion).toBe(2);
    expect(plan.versions.find((entry) => entry.kekVersion === 1)?.slots).toBe(plan.slotsToRewrap);
    expect(plan.retirableVersions).toEqual([]);
    expect(httpTallies.map((tally) => tally.failed)).toEqual([0, 0]);
    expect(grpcTally).toMatchObject({ failed: 0 });
    expect(grpcTally.ok).toBeGreaterThan(10);
    expect(done.rewrapped).toBe(plan.slotsToRewrap);
    expect(done.plan.slotsToRewrap).toBe(0);
    expect(done.plan.retirableVersions).toEqual([1]);
  });

  it('rerunning a finished rotation changes nothing', async () => {
    const snapshot = () =>
      withDatabase(stack, 'key-vault', async (db) => {
        const rows = await db.query<Record<string, unknown>>(
          `SELECT tenant_id, slot_id, kek_version, encode(sealed, 'hex') AS sealed
             FROM key_vault.credential_slots ORDER BY tenant_id, slot_id`,
        );

        return rows.rows;
      });
    const before = await snapshot();

    const rerun = await rotateToCompletion(10);

    expect(rerun).toMatchObject({ rewrapped: 0, skipped: 0, failed: 0 });
    expect(await snapshot()).toEqual(before);
  });

  it('a rotation killed half-way completes when run again', async () => {
    for (let index = 0; index < 40; index += 1) {
      const issued = await owner.request('POST', '/x-virtual-keys', { Name: `bulk-${index}` });
      expect(issued.status).toBe(201);
    }
    await writeRing(3);
    await stack.restart('key-vault');
    const { jobId } = await vault.call('startKekRotation', { batchSize: 2 });
    await eventually(
      async () => {
        const state = await vault.call('getKekRotationStatus', { jobId });

        return state.rewrapped >= 6 ? state : undefined;
      },
      30_000,
      20,
    );

    await stack.kill('key-vault');
    await eventually(async () => {
      const ready = await fetch(`${stack.services['key-vault'].httpUrl}/readyz`).catch(
        () => undefined,
      );

      return ready?.status === 200 ? true : undefined;
    }, 60_000);
    const halfway = await vault.call('planKekRotation', {});
    const done = await rotateToCompletion(50);

    expect(halfway.versions.find((entry) => entry.kekVersion === 2)?.slots).toBeGreaterThan(0);
    expect(halfway.versions.find((entry) => entry.kekVersion === 3)?.slots).toBeGreaterThan(0);
    expect(done.plan.slotsToRewrap).toBe(0);
    expect(done.plan.retirableVersions).toEqual([1, 2]);
    expect((await owner.chat()).status).toBe(200);
  });

  it('keeps the canaries out of every database column other than ciphertexts', async () => {
    const texts = await databaseTexts(stack);

    const hits = Object.values(CANARIES)
      .flatMap(encodingsOf)
      .filter((form) => texts.some((text) => text.includes(form)));

    expect(texts.some((text) => text.includes(tenantId))).toBe(true);
    expect(hits).toEqual([]);
  });

  it('deletes the tenant: its keys are destroyed and who did it is recorded', async () => {
    const unconfirmed = await owner.request('DELETE', '/x-tenant', { Confirm: 'yes' });

    const deleted = await owner.request('DELETE', '/x-tenant', { Confirm: tenantId });
    const left = await withDatabase(stack, 'key-vault', async (db) => {
      const count = async (table: string) =>
        Number(
          (
            await db.query(`SELECT count(*) AS n FROM key_vault.${table} WHERE tenant_id = $1`, [
              tenantId,
            ])
          ).rows[0].n,
        );

      return {
        keyrings: await count('keyrings'),
        slots: await count('credential_slots'),
        ciphertexts: await count('provider_key_ciphertexts'),
        record: (
          await db.query(
            'SELECT destroyed_by FROM key_vault.tenant_destructions WHERE tenant_id = $1',
            [tenantId],
          )
        ).rows,
      };
    });
    const recorded = await eventually(async () =>
      (await auditEvents(stack)).find(
        (event) =>
          event.type === 'management_change' &&
          event.resource === 'tenant_config' &&
          event.action === 'delete',
      ),
    );
    const refused = await Promise.all(
      replicas.map((replica) =>
        eventually(async () => ((await replica.chat()).status === 401 ? true : undefined)),
      ),
    );

    expect(unconfirmed.status).toBe(400);
    expect(deleted.status).toBe(200);
    expect(deleted.json).toMatchObject({ Deleted: true, CiphertextsDestroyed: 2 });
    expect(left).toEqual({
      keyrings: 0,
      slots: 0,
      ciphertexts: 0,
      record: [{ destroyed_by: ownerKeyId }],
    });
    expect(recorded).toMatchObject({ tenantId, actorVirtualKeyId: ownerKeyId });
    expect(refused).toEqual([true, true]);
  });

  it('leaves no canary in any log, Redis stream, BullMQ payload or HTTP response', async () => {
    const haystacks = [...(await logTexts(stack)), ...(await redisTexts(stack)), ...bodies];

    const hits = Object.values(CANARIES)
      .flatMap(encodingsOf)
      .filter((form) => haystacks.some((text) => text.includes(form)));

    expect(haystacks.some((text) => text.includes('kek-rotation'))).toBe(true);
    expect(bodies.length).toBeGreaterThan(100);
    expect(hits).toEqual([]);
  });
});

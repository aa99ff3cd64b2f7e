import { randomUUID } from 'node:crypto';

import { GrpcClient, KeyVaultMethods } from '@xai/contracts';
import { virtualKeyWrappingSecret } from '@xai/crypto';
import { RunningStack, startStack } from '@xai/devstack';
import { providerKeyDestination } from '@xai/providers';

import {
  Answer,
  GatewayClient,
  auditEvents,
  bootstrapIds,
  eventually,
  keyVaultClient,
  logTexts,
  mockRequests,
  withDatabase,
} from './stack-helpers';

const JANITOR_GRACE_SECONDS = 60;

/**
 * Custody under concurrency and outages, through the real services with two gateway replicas
 * and a redis-server of the stack's own (so the test can stop it without touching anyone
 * else's): single-use recovery codes, compare-and-set rotations and replacements, the custody
 * janitor, and the cache bound while the config-change stream is down.
 */
describe('key custody under concurrency and outages (two gateway replicas)', () => {
  const bodies: string[] = [];
  let stack: RunningStack;
  let owner: GatewayClient;
  let replicas: GatewayClient[];
  let vault: GrpcClient<KeyVaultMethods>;
  let tenantId: string;
  let ownerKeyId: string;
  let recoveryCode: string;

  /** Config's live key ids and key-vault's slot ids of the tenant, for the orphan checks. */
  async function keysAndSlots(): Promise<{ keys: string[]; slots: string[] }> {
    const keys = await withDatabase(stack, 'config', (db) =>
      db.query<{ id: string }>(
        `SELECT id FROM config.virtual_keys WHERE tenant_id = $1 AND status = 'active'
            AND (expires_at IS NULL OR expires_at > now()) ORDER BY id`,
        [tenantId],
      ),
    );
    const slots = await withDatabase(stack, 'key-vault', (db) =>
      db.query<{ slot_id: string }>(
        'SELECT slot_id FROM key_vault.credential_slots WHERE tenant_id = $1 ORDER BY slot_id',
        [tenantId],
      ),
    );

    return { keys: keys.rows.map((row) => row.id), slots: slots.rows.map((row) => row.slot_id) };
  }

  /** `calls` run at once, alternating between the two replicas. */
  function onBothReplicas(
    calls: number,
    call: (replica: GatewayClient, index: number) => Promise<Answer>,
  ): Promise<Answer[]> {
    return Promise.all(
      Array.from({ length: calls }, (_, index) => call(replicas[index % 2], index)),
    );
  }

  async function addProviderKey(secret: string, level: number): Promise<string> {
    const created = await owner.request('POST', '/x-keys', {
      SecretKey: secret,
      Name: `level-${level}`,
      Level: level,
      Provider: stack.mockProviderUrl,
      Status: true,
    });
    expect(created.status).toBe(201);

    return String(created.json.ID);
  }

  beforeAll(async () => {
    stack = await startStack({
      isolate: true,
      withMockProvider: true,
      gatewayReplicas: 2,
      redisUrl: false,
      env: {
        gateway: {
          XAI_CUSTODY_JANITOR_INTERVAL_SECONDS: '1',
          XAI_CUSTODY_JANITOR_GRACE_SECONDS: String(JANITOR_GRACE_SECONDS),
        },
      },
    });
    owner = new GatewayClient(stack.gatewayUrls[0], stack.ownerKey, bodies);
    replicas = stack.gatewayUrls.map((baseUrl) => owner.with({ baseUrl }));
    vault = await keyVaultClient(stack);
    ({ tenantId, ownerKeyId } = await bootstrapIds(stack, owner));
    const conf = await owner.request('POST', '/x-conf', {
      LevelMapper: 'gpt-4*=1,claude*=2,o1*=3',
    });
    expect(conf.status).toBe(200);
  }, 180_000);

  afterAll(async () => {
    vault?.close();
    await stack?.stop();
  }, 60_000);

  it('shows the first recovery code on the terminal only, in no log', async () => {
    recoveryCode = stack.shownOnce[0]?.secret ?? '';

    const files = await logTexts(stack);

    expect(recoveryCode).toMatch(/^xrc-/);
    expect(stack.shownOnce[0].what).toContain('recovery code');
    expect(files.join('\n')).toContain('withheld from this log');
    expect(files.filter((text) => text.includes(recoveryCode))).toEqual([]);
    expect(stack.logs().join('\n')).not.toContain(recoveryCode);
  });

  it('uses a recovery code once: the answer carries a new owner key and the next code', async () => {
    const code = owner.with({ key: recoveryCode });

    const recovered = await code.request('POST', '/x-recover', { Name: 'recovered' });
    const again = await code.request('POST', '/x-recover', { Name: 'again' });
    const next = String(recovered.json.RecoveryCode);
    const newOwner = owner.with({ key: String(recovered.json.Key) });
    const withNext = await owner.with({ key: next }).request('POST', '/x-recover', {});

    expect(recovered.status).toBe(201);
    expect(recovered.json).toMatchObject({ Role: 'owner', Name: 'recovered' });
    expect(next).toMatch(/^xrc-/);
    expect(next).not.toBe(recoveryCode);
    expect(again.status).toBe(401);
    expect((await newOwner.request('GET', '/x-keys')).status).toBe(200);
    expect(withNext.status).toBe(201);
    recoveryCode = String(withNext.json.RecoveryCode);
    const { keys, slots } = await keysAndSlots();
    expect(slots).toEqual(keys);
  });

  it('lets exactly one of several concurrent uses of one recovery code win, leaving no orphan', async () => {
    const before = await keysAndSlots();

    const answers = await onBothReplicas(6, (replica, index) =>
      replica.with({ key: recoveryCode }).request('POST', '/x-recover', { Name: `race-${index}` }),
    );
    const after = await keysAndSlots();

    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((code) => code === 201)).toHaveLength(1);
    expect(statuses.filter((code) => code === 409).length).toBeGreaterThan(0);
    expect(statuses.every((code) => [201, 409, 401].includes(code))).toBe(true);
    const conflict = answers.find((answer) => answer.status === 409)?.json.error;
    expect(conflict).toMatchObject({ code: 'conflict', type: 'invalid_request_error' });
    expect(after.slots).toEqual(after.keys);
    // The winner's owner key and next code replace the code used: one key more in all.
    expect(after.keys.length).toBe(before.keys.length + 1);
    recoveryCode = String(answers.find((answer) => answer.status === 201)?.json.RecoveryCode);
  });

  it('lets exactly one of several concurrent rotations of one key win across replicas, leaving no orphan', async () => {
    const issued = await owner.request('POST', '/x-virtual-keys', { Name: 'ops', Role: 'owner' });
    const before = await keysAndSlots();

    const answers = await onBothReplicas(6, (replica) =>
      replica
        .with({ key: String(issued.json.Key) })
        .request('POST', '/x-self/rotate', { GracePeriodSeconds: 60 }),
    );
    const after = await keysAndSlots();

    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((code) => code === 201)).toHaveLength(1);
    expect(statuses.filter((code) => code === 409)).toHaveLength(5);
    expect(answers.find((answer) => answer.status === 409)?.json.error).toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('rotated or revoked by another request'),
    });
    expect(after.slots).toEqual(after.keys);
    // The old key lives out its grace period beside its one successor.
    expect(after.keys.length).toBe(before.keys.length + 1);
    const winner = owner.with({ key: String(answers.find((a) => a.status === 201)?.json.Key) });
    expect((await winner.request('GET', '/x-keys')).status).toBe(200);
  });

  it('serialises concurrent replacements of one provider key across replicas', async () => {
    const id = await addProviderKey(`sk-first-${randomUUID()}`, 2);
    const secrets = Array.from({ length: 8 }, (_, index) => `sk-race-${index}-${randomUUID()}`);

    const answers = await onBothReplicas(secrets.length, (replica, index) =>
      replica.request('PUT', `/x-keys/${id}`, { SecretKey: secrets[index] }),
    );
    const used = await owner.chat('claude-x');
    const listed = await owner.request('GET', '/x-keys');

    // Serialised by the replicas' shared lock, every change lands, one after another.
    expect(answers.map((answer) => answer.status)).toEqual(secrets.map(() => 200));
    expect(used.status).toBe(200);
    const inUse = (await mockRequests(stack)).at(-1)?.apiKey;
    expect(secrets).toContain(inUse);
    // The hint config shows belongs to the secret key-vault holds: no change interleaved.
    const shown = (listed.json.data as Array<{ SecretHint: string; ID: string }>).find(
      (key) => key.ID === id,
    );
    expect(shown?.SecretHint).toBe(`…${String(inUse).slice(-4)}`);
  });

  it('destroys ciphertexts and slots no config record names once past their grace, and records it', async () => {
    const credential = {
      slotId: ownerKeyId,
      wrappingSecret: virtualKeyWrappingSecret(stack.ownerKey),
    };
    const [orphanKey, orphanSlot, freshSlot] = [randomUUID(), randomUUID(), randomUUID()];
    await vault.call('encryptProviderKey', {
      tenantId,
      providerKeyId: orphanKey,
      secretKey: `sk-orphan-${randomUUID()}`,
      credential,
      destination: providerKeyDestination(stack.mockProviderUrl ?? '', 'openai'),
    });
    for (const slotId of [orphanSlot, freshSlot]) {
      await vault.call('addCredentialSlot', {
        tenantId,
        credential,
        newCredential: { slotId, wrappingSecret: virtualKeyWrappingSecret(`xai-${slotId}`) },
      });
    }
    // Everything but the fresh orphan is made older than the grace period.
    await withDatabase(stack, 'key-vault', async (db) => {
      await db.query(
        `UPDATE key_vault.provider_key_ciphertexts SET updated_at = now() - interval '1 hour'`,
      );
      await db.query(
        `UPDATE key_vault.credential_slots SET created_at = now() - interval '1 hour'
          WHERE slot_id <> $1`,
        [freshSlot],
      );
    });

    const ids = (table: string, column: string) =>
      withDatabase(stack, 'key-vault', async (db) => {
        const rows = await db.query<{ id: string }>(
          `SELECT ${column} AS id FROM key_vault.${table} WHERE tenant_id = $1`,
          [tenantId],
        );

        return rows.rows.map((row) => row.id);
      });
    await eventually(async () => {
      const left = [
        ...(await ids('provider_key_ciphertexts', 'provider_key_id')),
        ...(await ids('credential_slots', 'slot_id')),
      ];

      return left.includes(orphanKey) || left.includes(orphanSlot) ? undefined : true;
    }, 30_000);
    const events = await eventually(async () => {
      const found = (await auditEvents(stack)).filter(
        (event) => event.actorVirtualKeyId === 'system:custody-janitor',
      );

      return found.length >= 2 ? found : undefined;
    });
    const { keys, slots } = await keysAndSlots();

    expect(await ids('credential_slots', 'slot_id')).toContain(freshSlot);
    expect(slots.filter((slot) => slot !== freshSlot)).toEqual(keys);
    expect(events.map((event) => [event.resource, event.resourceId, event.action]).sort()).toEqual(
      [
        ['provider_key', orphanKey, 'delete'],
        ['virtual_key', orphanSlot, 'delete'],
      ].sort(),
    );
    expect(JSON.stringify(events)).not.toContain('sk-orphan-');
    expect((await owner.chat('claude-x')).status).toBe(200);
  });

  it('while the config stream is down, no replica serves a replaced key past two seconds', async () => {
    const first = `sk-before-outage-${randomUUID()}`;
    const second = `sk-during-outage-${randomUUID()}`;
    const id = await addProviderKey(first, 3);
    const warm = await Promise.all(replicas.map((replica) => replica.chat('o1-mini')));
    await stack.stopInfra('redis');
    try {
      const replaced = await replicas[0].request('PUT', `/x-keys/${id}`, { SecretKey: second });
      const replacedAt = Date.now();
      const deadline = replacedAt + 4_000;
      const answers: Answer[] = [];
      while (Date.now() < deadline) {
        answers.push(...(await Promise.all(replicas.map((replica) => replica.chat('o1-mini')))));
      }
      const late = (await mockRequests(stack)).filter(
        (request) => Date.parse(request.receivedAt) > replacedAt + 2_000,
      );

      expect(warm.map((answer) => answer.status)).toEqual([200, 200]);
      expect(replaced.status).toBe(200);
      expect(answers.every((answer) => answer.status === 200)).toBe(true);
      expect(late.length).toBeGreaterThan(4);
      expect(late.filter((request) => request.apiKey !== second)).toEqual([]);
    } finally {
      await stack.startInfra('redis');
    }
  }, 60_000);
});

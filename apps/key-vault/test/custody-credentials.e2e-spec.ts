import { randomBytes, randomUUID } from 'node:crypto';

import { status } from '@grpc/grpc-js';
import { GrpcClient, KeyVaultMethods } from '@xai/contracts';
import { virtualKeyLookupHash, virtualKeyWrappingSecret } from '@xai/crypto';
import { RunningStack, startStack } from '@xai/devstack';
import { providerKeyDestination } from '@xai/providers';

import { ECHO_MODELS, EchoingUpstream, escapedForms } from './echoing-upstream';
import { rpcError } from './grpc-test-helpers';
import {
  GatewayClient,
  bootstrapIds,
  encodingsOf,
  eventually,
  keyVaultClient,
  logTexts,
  stackSecret,
  withDatabase,
} from './stack-helpers';

/** A secret no pattern of the scrubber recognises: short runs, dots, no known prefix. */
const SECRET = ['cnry', ...[1, 2, 3].map(() => randomBytes(4).toString('hex'))].join('.');

/** A chat completion through the gateway at `baseUrl`, its raw body and headers. */
async function rawChat(baseUrl: string, key: string, model = 'gpt-4o', stream = false) {
  const response = await fetch(`${baseUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, stream, messages: [{ role: 'user', content: 'Hi' }] }),
  });

  return {
    status: response.status,
    text: await response.text(),
    headers: JSON.stringify([...response.headers]),
  };
}

/**
 * The second attack pass on key custody: what a database writer can do to the gateway's hot
 * cache, what the service token alone can destroy, a provider echoing the key in a successful
 * answer or behind escapes, concurrent recoveries, a slot that cannot be opened, and a
 * key-vault restart. Against the real services, PostgreSQL and two gateway replicas.
 */
describe('credential-bound custody under a database writer, a token holder and restarts', () => {
  let stack: RunningStack;
  let owner: GatewayClient;
  let vault: GrpcClient<KeyVaultMethods>;
  let upstream: EchoingUpstream;
  let tenantId: string;
  let ownerKeyId: string;
  let keyId: string;

  async function issue(name: string, role = 'member'): Promise<{ id: string; key: string }> {
    const issued = await owner.request('POST', '/x-virtual-keys', { Name: name, Role: role });
    expect(issued.status).toBe(201);

    return { id: String(issued.json.ID), key: String(issued.json.Key) };
  }

  function configRows(sql: string, params: unknown[]): Promise<Array<Record<string, string>>> {
    return withDatabase(stack, 'config', async (db) => {
      const { rows } = await db.query<Record<string, string>>(sql, params);

      return rows;
    });
  }

  function slotCount(slotId: string): Promise<number> {
    return withDatabase(stack, 'key-vault', async (db) => {
      const { rowCount } = await db.query(
        'SELECT 1 FROM key_vault.credential_slots WHERE slot_id = $1',
        [slotId],
      );

      return rowCount ?? 0;
    });
  }

  beforeAll(async () => {
    upstream = await EchoingUpstream.start();
    stack = await startStack({
      isolate: true,
      gatewayReplicas: 2,
      env: { 'key-vault': { XAI_SLOT_SWEEP_INTERVAL_SECONDS: '1' } },
    });
    owner = new GatewayClient(stack.gatewayUrls[0], stack.ownerKey, []);
    vault = await keyVaultClient(stack);
    ({ tenantId, ownerKeyId } = await bootstrapIds(stack, owner));
    const created = await owner.request('POST', '/x-keys', {
      SecretKey: SECRET,
      Name: 'canary',
      Level: 1,
      Provider: upstream.url,
      Status: true,
    });
    expect(created.status).toBe(201);
    keyId = String(created.json.ID);
  }, 240_000);

  afterAll(async () => {
    vault?.close();
    await stack?.stop();
    await upstream?.stop();
  }, 60_000);

  describe('the hot cache against a database writer', () => {
    it("serves no warm key to a revoked key whose hash was moved onto the owner's record", async () => {
      const member = await issue('to-revoke');
      const [{ key_hash: memberHash }] = await configRows(
        'SELECT key_hash FROM config.virtual_keys WHERE id = $1',
        [member.id],
      );
      expect((await rawChat(stack.gatewayUrls[0], member.key)).status).toBe(200);
      expect((await owner.request('DELETE', `/x-virtual-keys/${member.id}`)).status).toBeLessThan(
        300,
      );
      await eventually(async () =>
        (await rawChat(stack.gatewayUrls[0], member.key)).status === 401 ? true : undefined,
      );
      expect((await rawChat(stack.gatewayUrls[0], owner.key)).status).toBe(200);
      const calledBefore = upstream.saw(SECRET);

      await configRows("UPDATE config.virtual_keys SET key_hash = 'gone-' || id WHERE id = $1", [
        member.id,
      ]);
      await configRows('UPDATE config.virtual_keys SET key_hash = $1 WHERE id = $2', [
        memberHash,
        ownerKeyId,
      ]);
      const replayed = await rawChat(stack.gatewayUrls[0], member.key);
      const pepper = await stackSecret(stack, 'pepper');
      await configRows('UPDATE config.virtual_keys SET key_hash = $1 WHERE id = $2', [
        virtualKeyLookupHash(owner.key, pepper),
        ownerKeyId,
      ]);

      expect(replayed.status).toBe(502);
      expect(replayed.text).toContain('provider_key_unavailable');
      expect(upstream.saw(SECRET)).toBe(calledBefore);
    });

    it("stops serving a rotated key when key-vault's slot expires, whatever config says", async () => {
      const rotating = await issue('graceful', 'owner');
      const rotated = await fetch(`${stack.gatewayUrls[0]}/x-self/rotate`, {
        method: 'POST',
        headers: { authorization: `Bearer ${rotating.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ GracePeriodSeconds: 3 }),
      });
      expect(rotated.status).toBe(201);
      await configRows('UPDATE config.virtual_keys SET expires_at = NULL WHERE id = $1', [
        rotating.id,
      ]);

      const during = await rawChat(stack.gatewayUrls[0], rotating.key);
      await eventually(
        async () => ((await slotCount(rotating.id)) === 0 ? true : undefined),
        20_000,
      );
      const calledBefore = upstream.saw(SECRET);
      const after = await rawChat(stack.gatewayUrls[0], rotating.key);

      expect(during.status).toBe(200);
      expect(after.status).not.toBe(200);
      expect(upstream.saw(SECRET)).toBe(calledBefore);
    });
  });

  describe('destructive key-vault calls with the service token alone', () => {
    const stranger = () => ({ slotId: ownerKeyId, wrappingSecret: randomBytes(32) });

    it('refuses to destroy a ciphertext, a slot or the keyring without a credential', async () => {
      const member = await issue('kept');
      const refusals = [
        await rpcError(
          vault.call('destroyProviderKey', {
            tenantId,
            providerKeyId: keyId,
            credential: stranger(),
          }),
        ),
        await rpcError(
          vault.call('removeCredentialSlot', {
            tenantId,
            slotId: member.id,
            graceSeconds: 0,
            credential: stranger(),
          }),
        ),
        await rpcError(
          vault.call('destroyTenant', {
            tenantId,
            destroyedBy: 'attacker',
            requestId: randomUUID(),
            credential: stranger(),
          }),
        ),
      ];
      const missing = await rpcError(
        vault.call('destroyTenant', { tenantId, destroyedBy: 'attacker', requestId: 'r' } as never),
      );

      expect(refusals.map((error) => error.code)).toEqual(Array(3).fill(status.PERMISSION_DENIED));
      expect(missing.code).toBe(status.INVALID_ARGUMENT);
      expect(await slotCount(member.id)).toBe(1);
      expect((await rawChat(stack.gatewayUrls[1], member.key)).status).toBe(200);
    });

    it('purges only records config does not name, whatever the caller says', async () => {
      const member = await issue('aged');
      const orphanId = randomUUID();
      await vault.call('encryptProviderKey', {
        tenantId,
        providerKeyId: orphanId,
        secretKey: `sk-orphan-${randomUUID()}`,
        credential: { slotId: ownerKeyId, wrappingSecret: virtualKeyWrappingSecret(owner.key) },
        destination: providerKeyDestination(upstream.url, 'openai'),
      });
      await withDatabase(stack, 'key-vault', async (db) => {
        await db.query(
          "UPDATE key_vault.provider_key_ciphertexts SET updated_at = now() - interval '5 minutes' " +
            'WHERE provider_key_id = ANY($1)',
          [[keyId, orphanId]],
        );
        await db.query(
          "UPDATE key_vault.credential_slots SET created_at = now() - interval '5 minutes' " +
            'WHERE slot_id = $1',
          [member.id],
        );
      });

      const { records } = await vault.call('purgeCustodyRecords', {
        olderThanSeconds: 60,
        records: [
          { tenantId, kind: 'CUSTODY_RECORD_KIND_PROVIDER_KEY', id: keyId },
          { tenantId, kind: 'CUSTODY_RECORD_KIND_CREDENTIAL_SLOT', id: member.id },
          { tenantId, kind: 'CUSTODY_RECORD_KIND_PROVIDER_KEY', id: orphanId },
        ],
      });

      expect(records.map((record) => record.id)).toEqual([orphanId]);
      expect(await slotCount(member.id)).toBe(1);
      expect((await rawChat(stack.gatewayUrls[0], member.key)).status).toBe(200);
    });

    it("removes a slot for the slot's own credential", async () => {
      const member = await issue('leaving');

      const { removed } = await vault.call('removeCredentialSlot', {
        tenantId,
        slotId: member.id,
        graceSeconds: 0,
        credential: { slotId: member.id, wrappingSecret: virtualKeyWrappingSecret(member.key) },
      });

      expect(removed).toBe(true);
      expect(await slotCount(member.id)).toBe(0);
    });
  });

  it('answers every loser of concurrent recoveries 409 or 401, never 503', async () => {
    for (let round = 0; round < 6; round += 1) {
      const replaced = await owner.request('POST', '/x-recovery-code');
      const code = String(replaced.json.RecoveryCode);

      // Staggered over both replicas, so some losers arrive once the winner destroyed the slot.
      const statuses = await Promise.all(
        Array.from({ length: 10 }, async (_, attempt) => {
          await new Promise((resolve) => setTimeout(resolve, attempt * 15));
          const response = await fetch(`${stack.gatewayUrls[attempt % 2]}/x-recover`, {
            method: 'POST',
            headers: { authorization: `Bearer ${code}`, 'content-type': 'application/json' },
            body: JSON.stringify({ Name: `recovered-${round}-${attempt}` }),
          });

          return response.status;
        }),
      );

      expect(statuses.filter((answer) => answer === 201)).toHaveLength(1);
      expect(statuses.filter((answer) => ![201, 401, 409].includes(answer))).toEqual([]);
    }
  });

  describe('a provider that echoes the key', () => {
    const leaks = (text: string) =>
      [...encodingsOf(SECRET), ...escapedForms(SECRET)].filter((form) => text.includes(form));

    it('has it removed from a successful answer, whole or streamed and cut between chunks', async () => {
      const whole = await rawChat(stack.gatewayUrls[0], owner.key, ECHO_MODELS.inAnswer);
      const streamed = await rawChat(
        stack.gatewayUrls[1],
        owner.key,
        ECHO_MODELS.splitInStream,
        true,
      );

      expect([whole.status, streamed.status]).toEqual([200, 200]);
      expect(whole.text).toContain('you sent [redacted]');
      expect(streamed.text).toContain('you sent [redacted]');
      expect(streamed.text).toContain('[DONE]');
      expect(leaks(whole.text + streamed.text)).toEqual([]);
    });

    it('has it removed from an error that hides it behind escapes and encodings', async () => {
      const answer = await rawChat(stack.gatewayUrls[0], owner.key, ECHO_MODELS.escapedInError);
      const decoded = JSON.stringify(JSON.parse(answer.text));

      expect(answer.status).toBe(400);
      expect(leaks(answer.text + decoded + answer.headers)).toEqual([]);
      expect(decoded).toContain('[redacted]');
    });
  });

  it('blames the credential slot for a slot whose KEK version is not loaded, and logs it', async () => {
    const member = await issue('unloaded-version');
    await withDatabase(stack, 'key-vault', (db) =>
      db.query('UPDATE key_vault.credential_slots SET kek_version = 9 WHERE slot_id = $1', [
        member.id,
      ]),
    );

    const answer = await rawChat(stack.gatewayUrls[0], member.key);
    const ready = await fetch(`${stack.services['key-vault'].httpUrl}/readyz`);
    await withDatabase(stack, 'key-vault', (db) =>
      db.query('DELETE FROM key_vault.credential_slots WHERE slot_id = $1', [member.id]),
    );
    const logged = await eventually(async () =>
      (await logTexts(stack))
        .flatMap((text) => text.split('\n'))
        .find((line) => line.includes('"kekVersion":9')),
    );

    expect(answer.status).toBe(502);
    expect(answer.text).toContain('credential slot');
    expect(answer.text).not.toContain('SecretKey');
    expect(ready.status).toBe(503);
    expect(logged).toContain('"slots":1');
  });

  it('serves the first call after a killed key-vault is back, with traffic during the outage', async () => {
    const probe = () => owner.request('POST', '/x-virtual-keys', { Name: 'probe', Role: 'member' });
    let stop = false;
    // Traffic during the outage, as a real gateway sees: its channel backs off meanwhile.
    const traffic = (async () => {
      while (!stop) {
        await probe();
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();

    await stack.kill('key-vault');
    await eventually(
      async () => {
        const ready = await fetch(`${stack.services['key-vault'].httpUrl}/readyz`).catch(
          () => null,
        );

        return ready?.status === 200 ? true : undefined;
      },
      60_000,
      20,
    );
    const readyAt = Date.now();
    const first = await probe();
    const answeredAt = Date.now();
    stop = true;
    await traffic;

    expect(first.status).toBe(201);
    expect(answeredAt - readyAt).toBeLessThan(1_500);
  }, 90_000);
});

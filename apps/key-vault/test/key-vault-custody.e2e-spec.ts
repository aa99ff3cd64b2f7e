import { createHash, randomUUID } from 'node:crypto';

import { status } from '@grpc/grpc-js';
import { Credential, GrpcClient, KeyVaultMethods } from '@xai/contracts';
import {
  generateKek,
  generateRecoveryCode,
  generateVirtualKey,
  parseKeyRing,
  recoveryCodeWrappingSecret,
  virtualKeyHint,
  virtualKeyLookupHash,
  virtualKeyWrappingSecret,
} from '@xai/crypto';
import { createScratchDatabase, ScratchDatabase } from '@xai/devstack';
import { Client } from 'pg';

import { EnvelopeCipher, opensOuterSeal } from '../src/custody/envelope.cipher';
import { KeyVaultErrorCode } from '../src/errors/key-vault-error-code';
import { KeyVaultException } from '../src/errors/key-vault.exception';
import { DESTINATION, kekService } from './custody-fixtures';
import { rpcError } from './grpc-test-helpers';
import { KeyVaultProcess } from './key-vault-process';

const TABLES = ['keyrings', 'credential_slots', 'provider_key_ciphertexts', 'kek_checks'];
const PEPPER = 'a-pepper-that-lives-in-the-gateway-only';

interface Dump {
  rows: Record<string, Record<string, unknown>[]>;
  /** What config's tables would add to a full dump: ids, keyed hashes and hints. */
  configValues: string[];
}

/** A tenant's real credential: a virtual key and the value the gateway derives from it. */
function virtualKeyCredential(): { key: string; credential: Credential } {
  const key = generateVirtualKey();

  return {
    key,
    credential: { slotId: randomUUID(), wrappingSecret: virtualKeyWrappingSecret(key) },
  };
}

async function connect(url: string): Promise<Client> {
  const db = new Client({ connectionString: url });
  await db.connect();

  return db;
}

async function dumpKeyVault(url: string): Promise<Dump['rows']> {
  const db = await connect(url);
  try {
    const rows: Dump['rows'] = {};
    for (const table of TABLES) {
      rows[table] = (await db.query(`SELECT * FROM key_vault.${table}`)).rows as Record<
        string,
        unknown
      >[];
    }

    return rows;
  } finally {
    await db.end();
  }
}

async function restoreKeyVault(url: string, rows: Dump['rows']): Promise<void> {
  const db = await connect(url);
  try {
    // A restore replaces everything, including the check value the fresh copy wrote at boot.
    await db.query(`TRUNCATE ${TABLES.map((table) => `key_vault.${table}`).join(', ')}`);
    for (const table of TABLES) {
      for (const row of rows[table]) {
        const columns = Object.keys(row);
        const values = columns.map((_, index) => `$${index + 1}`);
        await db.query(
          `INSERT INTO key_vault.${table} (${columns.map((column) => `"${column}"`).join(', ')})
           VALUES (${values.join(', ')})`,
          Object.values(row),
        );
      }
    }
  } finally {
    await db.end();
  }
}

/** Every 32-byte value an attacker holding the dump could try as a wrapping secret. */
function candidateSecrets(dump: Dump): Buffer[] {
  const texts = new Set<string>(dump.configValues);
  for (const rows of Object.values(dump.rows)) {
    for (const row of rows) {
      for (const value of Object.values(row)) {
        if (typeof value === 'string') texts.add(value);
        if (Buffer.isBuffer(value)) texts.add(value.toString('hex'));
      }
    }
  }
  const candidates: Buffer[] = [];
  for (const text of texts) {
    candidates.push(virtualKeyWrappingSecret(text), recoveryCodeWrappingSecret(text));
    candidates.push(createHash('sha256').update(text).digest());
    if (/^[0-9a-f]{64}$/.test(text)) candidates.push(Buffer.from(text, 'hex'));
  }

  return candidates;
}

describe('key-vault custody (as processes, over gRPC, on PostgreSQL)', () => {
  const kek = generateKek();
  const canaries = [`sk-canary-dump-${randomUUID()}`, `sk-canary-dump-${randomUUID()}`];
  const tenantId = randomUUID();
  const owner = virtualKeyCredential();
  const recoveryCode = generateRecoveryCode();
  const recovery = {
    slotId: randomUUID(),
    wrappingSecret: recoveryCodeWrappingSecret(recoveryCode),
  };
  let database: ScratchDatabase;
  let vault: KeyVaultProcess;
  let client: GrpcClient<KeyVaultMethods>;

  beforeAll(async () => {
    database = await createScratchDatabase('xai_kv');
    vault = await KeyVaultProcess.start({ ...database.serviceEnv, XAI_KEK: kek });
    await vault.waitUntilReady();
    client = vault.client();
    await client.call('createKeyring', { tenantId, credentials: [owner.credential, recovery] });
    for (const [index, secretKey] of canaries.entries()) {
      await client.call('encryptProviderKey', {
        tenantId,
        providerKeyId: `key-${index}`,
        secretKey,
        credential: owner.credential,
        destination: DESTINATION,
      });
    }
  });

  afterAll(async () => {
    client?.close();
    await vault?.stop();
    await database?.drop();
  });

  function open(credential: Credential, providerKeyId = 'key-0') {
    return client.call('decryptProviderKey', {
      tenantId,
      providerKeyId,
      credential,
      requestId: randomUUID(),
      destination: DESTINATION,
    });
  }

  describe('credential slots', () => {
    it('creates a keyring once, opened by every credential given', async () => {
      const again = await client.call('createKeyring', {
        tenantId,
        credentials: [virtualKeyCredential().credential],
      });

      expect(again).toEqual({ created: false, dekVersion: 1 });
      expect((await open(owner.credential)).secretKey).toBe(canaries[0]);
      expect((await open(recovery)).secretKey).toBe(canaries[0]);
    });

    it('adds a slot only for a caller whose credential opens the keyring', async () => {
      const member = virtualKeyCredential();
      const stranger = virtualKeyCredential();

      const refused = await rpcError(
        client.call('addCredentialSlot', {
          tenantId,
          credential: stranger.credential,
          newCredential: member.credential,
        }),
      );
      const added = await client.call('addCredentialSlot', {
        tenantId,
        credential: owner.credential,
        newCredential: member.credential,
      });
      const duplicate = await rpcError(
        client.call('addCredentialSlot', {
          tenantId,
          credential: owner.credential,
          newCredential: member.credential,
        }),
      );

      expect(refused.code).toBe(status.PERMISSION_DENIED);
      expect(added).toEqual({ dekVersion: 1 });
      expect(duplicate.code).toBe(status.ALREADY_EXISTS);
      expect((await open(member.credential, 'key-1')).secretKey).toBe(canaries[1]);
    });

    it('destroys a slot at once, or after its grace period', async () => {
      const [now, later] = [virtualKeyCredential(), virtualKeyCredential()];
      for (const added of [now, later]) {
        await client.call('addCredentialSlot', {
          tenantId,
          credential: owner.credential,
          newCredential: added.credential,
        });
      }

      await client.call('removeCredentialSlot', {
        tenantId,
        slotId: now.credential.slotId,
        graceSeconds: 0,
        credential: owner.credential,
      });
      const graced = await client.call('removeCredentialSlot', {
        tenantId,
        slotId: later.credential.slotId,
        graceSeconds: 1,
        credential: owner.credential,
      });
      const duringGrace = await open(later.credential);
      const afterGrace = await new Promise<number>((resolve) => {
        const poll = (): void => {
          open(later.credential).then(
            () => setTimeout(poll, 100),
            (error: { code: number }) => resolve(error.code),
          );
        };
        poll();
      });

      expect((await rpcError(open(now.credential))).code).toBe(status.PERMISSION_DENIED);
      expect(graced.expiresAt).not.toBe('');
      expect(duringGrace.secretKey).toBe(canaries[0]);
      expect(afterGrace).toBe(status.PERMISSION_DENIED);
    });
  });

  describe('with a full database dump and the KEK, but no credential', () => {
    let dump: Dump;
    let restored: ScratchDatabase;
    let copy: KeyVaultProcess;
    let copyClient: GrpcClient<KeyVaultMethods>;

    beforeAll(async () => {
      dump = {
        rows: await dumpKeyVault(database.url),
        configValues: [
          tenantId,
          owner.credential.slotId,
          recovery.slotId,
          virtualKeyLookupHash(owner.key, PEPPER),
          virtualKeyLookupHash(recoveryCode, PEPPER),
          virtualKeyHint(owner.key),
          virtualKeyHint(recoveryCode),
        ],
      };
      restored = await createScratchDatabase('xai_kv');
      const migrator = await KeyVaultProcess.start({ ...restored.serviceEnv, XAI_KEK: kek });
      await migrator.waitUntilReady();
      await migrator.stop();
      await restoreKeyVault(restored.url, dump.rows);
      copy = await KeyVaultProcess.start({ ...restored.serviceEnv, XAI_KEK: kek });
      await copy.waitUntilReady();
      copyClient = copy.client();
    });

    afterAll(async () => {
      copyClient?.close();
      await copy?.stop();
      await restored?.drop();
    });

    it('opens no provider key through key-vault with anything derived from the dump', async () => {
      const slotIds = dump.rows.credential_slots.map((row) => String(row.slot_id));
      const candidates = candidateSecrets(dump);
      const outcomes: number[] = [];

      for (const slotId of slotIds) {
        for (const wrappingSecret of candidates) {
          const error = await rpcError(
            copyClient.call('decryptProviderKey', {
              tenantId,
              providerKeyId: 'key-0',
              credential: { slotId, wrappingSecret },
              requestId: 'attacker',
              destination: DESTINATION,
            }),
          ).catch(() => undefined);
          outcomes.push(error?.code ?? status.OK);
        }
      }
      // The restored copy is complete: the real credential still opens it.
      const control = await copyClient.call('decryptProviderKey', {
        tenantId,
        providerKeyId: 'key-0',
        credential: owner.credential,
        requestId: 'control',
        destination: DESTINATION,
      });

      expect(outcomes.length).toBeGreaterThan(100);
      expect(new Set(outcomes)).toEqual(new Set([status.PERMISSION_DENIED]));
      expect(control.secretKey).toBe(canaries[0]);
    });

    it('peels the outer seal with the KEK, and the inner seal still refuses every candidate', async () => {
      const cipher = new EnvelopeCipher(kekService({ XAI_KEK: kek }));
      const ring = parseKeyRing(kek);
      const slots = dump.rows.credential_slots.map((row) => ({
        tenantId: String(row.tenant_id),
        slotId: String(row.slot_id),
        dekVersion: Number(row.dek_version),
        kekVersion: Number(row.kek_version),
        sealed: row.sealed as Buffer,
      }));
      const candidates = candidateSecrets(dump);

      const opened = slots.flatMap((slot) =>
        candidates.filter(
          (secret) => keyVaultErrorOfSync(() => cipher.openSlot(slot, secret, slot)) === undefined,
        ),
      );

      expect(slots.every((slot) => opensOuterSeal(ring.key(slot.kekVersion), slot))).toBe(true);
      expect(opened).toEqual([]);
      expect(keyVaultErrorOfSync(() => cipher.openSlot(slots[0], candidates[0], slots[0]))).toBe(
        KeyVaultErrorCode.CredentialRejected,
      );
    });
  });

  describe('with a KEK that does not match the data', () => {
    it.each([
      [
        'another key under the same version',
        () => generateKek(),
        'KEK version 1 does not match its check value',
      ],
      [
        'a ring without the version the slots use',
        () => `2:${generateKek()}`,
        'KEK version 1, which is not loaded',
      ],
    ])('stays sealed given %s', async (_case, ring, reason) => {
      const wrong = await KeyVaultProcess.start({ ...database.serviceEnv, XAI_KEK: ring() });
      const wrongClient = wrong.client();
      try {
        const ready = await waitForKek(wrong);
        const error = await rpcError(
          wrongClient.call('decryptProviderKey', {
            tenantId,
            providerKeyId: 'key-0',
            credential: owner.credential,
            requestId: 'wrong-kek',
            destination: DESTINATION,
          }),
        );

        expect(ready).toEqual({ status: 503, kek: 'wrong' });
        expect(error.code).toBe(status.UNAVAILABLE);
        expect(wrong.logs).toContain(reason);
      } finally {
        wrongClient.close();
        await wrong.stop();
      }
    });
  });
});

/** The code of the {@link KeyVaultException} `action` throws, or `undefined` if it returns. */
function keyVaultErrorOfSync(action: () => unknown): KeyVaultErrorCode | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof KeyVaultException) return error.code;
    throw error;
  }

  return undefined;
}

/** Polls `/readyz` until the KEK check has an outcome other than `verifying`. */
async function waitForKek(vault: KeyVaultProcess): Promise<{ status: number; kek: unknown }> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const { status: code, body } = await vault.get('/readyz');
    const kek = (body as { checks?: Record<string, unknown> }).checks?.kek;
    if (kek !== 'verifying') return { status: code, kek };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the KEK check did not finish');
}

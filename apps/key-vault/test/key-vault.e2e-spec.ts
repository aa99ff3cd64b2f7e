import { randomBytes, randomUUID } from 'node:crypto';

import { status } from '@grpc/grpc-js';
import { Credential, GrpcClient, KeyVaultMethods } from '@xai/contracts';
import { generateKek } from '@xai/crypto';
import { createScratchDatabase, ScratchDatabase } from '@xai/devstack';
import { Client } from 'pg';

import { DESTINATION } from './custody-fixtures';
import { newCredential, rpcError } from './grpc-test-helpers';
import { KeyVaultProcess } from './key-vault-process';
import { dumpDatabase, formsOf } from './secret-sweep';

const SCHEMA = 'key_vault';

describe('key-vault (as a process, over gRPC)', () => {
  const kek = generateKek();
  const secretsSeen: string[] = [];
  const tenantsSeen: string[] = [];
  const wrappingSecretsSeen: Buffer[] = [];
  let database: ScratchDatabase;
  let db: Client;
  let vault: KeyVaultProcess;
  let client: GrpcClient<KeyVaultMethods>;

  function canary(): string {
    const secret = `sk-canary-${randomUUID()}`;
    secretsSeen.push(secret);

    return secret;
  }

  function credential(): Credential {
    const made = newCredential();
    wrappingSecretsSeen.push(made.wrappingSecret);

    return made;
  }

  async function store(tenantId: string, providerKeyId: string, owner: Credential) {
    const secretKey = canary();
    tenantsSeen.push(tenantId);
    const result = await client.call('encryptProviderKey', {
      tenantId,
      providerKeyId,
      secretKey,
      credential: owner,
      destination: DESTINATION,
    });

    return { secretKey, dekVersion: result.dekVersion };
  }

  function open(tenantId: string, providerKeyId: string, owner: Credential) {
    return client.call('decryptProviderKey', {
      tenantId,
      providerKeyId,
      credential: owner,
      requestId: randomUUID(),
      destination: DESTINATION,
    });
  }

  beforeAll(async () => {
    database = await createScratchDatabase('xai_kv');
    vault = await KeyVaultProcess.start({ ...database.serviceEnv, XAI_KEK: kek });
    await vault.waitUntilReady();
    client = vault.client();
    db = new Client({ connectionString: database.url });
    await db.connect();
  });

  afterAll(async () => {
    client?.close();
    await db?.end();
    await vault?.stop();
    await database?.drop();
  });

  it('is ready once unsealed and connected', async () => {
    const ready = await vault.get('/readyz');

    expect(ready).toEqual({
      status: 200,
      body: { status: 'ready', checks: { database: 'ok', kek: 'ok' } },
    });
  });

  it('round-trips a provider key, creating the keyring on first use', async () => {
    const tenantId = randomUUID();
    const owner = credential();

    const { secretKey, dekVersion } = await store(tenantId, 'key-1', owner);
    const opened = await open(tenantId, 'key-1', owner);

    expect(dekVersion).toBe(1);
    expect(opened.secretKey).toBe(secretKey);
  });

  it('replaces a provider key sealed before', async () => {
    const tenantId = randomUUID();
    const owner = credential();
    await store(tenantId, 'key-1', owner);

    const { secretKey } = await store(tenantId, 'key-1', owner);
    const opened = await open(tenantId, 'key-1', owner);

    expect(opened.secretKey).toBe(secretKey);
  });

  it.each([
    [
      'a wrong wrapping secret',
      (owner: Credential) => ({ ...owner, wrappingSecret: randomBytes(32) }),
    ],
    ['an unknown slot', () => newCredential()],
  ])('refuses %s with PERMISSION_DENIED', async (_case, other) => {
    const tenantId = randomUUID();
    const owner = credential();
    await store(tenantId, 'key-1', owner);

    const error = await rpcError(open(tenantId, 'key-1', other(owner)));

    expect(error.code).toBe(status.PERMISSION_DENIED);
    expect(error.details).toBe("credential cannot open this tenant's keyring");
  });

  it('refuses a credential without a slot when storing into an existing keyring', async () => {
    const tenantId = randomUUID();
    await store(tenantId, 'key-1', credential());

    const error = await rpcError(store(tenantId, 'key-2', newCredential()));

    expect(error.code).toBe(status.PERMISSION_DENIED);
  });

  it('answers NOT_FOUND for a provider key without a ciphertext', async () => {
    const tenantId = randomUUID();
    const owner = credential();
    await store(tenantId, 'key-1', owner);

    const error = await rpcError(open(tenantId, 'absent', owner));

    expect(error.code).toBe(status.NOT_FOUND);
  });

  it('refuses malformed requests with INVALID_ARGUMENT naming the field', async () => {
    const short = { slotId: 'slot', wrappingSecret: randomBytes(16) };

    const error = await rpcError(
      client.call('encryptProviderKey', {
        tenantId: 't',
        providerKeyId: 'k',
        secretKey: 'x',
        credential: short,
        destination: DESTINATION,
      }),
    );

    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(error.details).toContain('credential.wrapping_secret must be exactly 32 bytes');
  });

  it('creates one keyring when two requests store the first keys of a tenant at once', async () => {
    const tenantId = randomUUID();
    const owner = credential();

    const [first, second] = await Promise.all([
      store(tenantId, 'key-1', owner),
      store(tenantId, 'key-2', owner),
    ]);
    const keyrings = await db.query(`SELECT 1 FROM ${SCHEMA}.keyrings WHERE tenant_id = $1`, [
      tenantId,
    ]);

    expect(keyrings.rowCount).toBe(1);
    expect((await open(tenantId, 'key-1', owner)).secretKey).toBe(first.secretKey);
    expect((await open(tenantId, 'key-2', owner)).secretKey).toBe(second.secretKey);
  });

  describe('against a tampered database', () => {
    let tenantA: string;
    let tenantB: string;
    let ownerA: Credential;
    let ownerB: Credential;

    beforeEach(async () => {
      [tenantA, tenantB] = [randomUUID(), randomUUID()];
      [ownerA, ownerB] = [credential(), credential()];
      await store(tenantA, 'key-1', ownerA);
      await store(tenantA, 'key-2', ownerA);
      await store(tenantB, 'key-1', ownerB);
    });

    async function expectCleanFailure(call: Promise<unknown>, details: string): Promise<void> {
      const error = await rpcError(call);

      expect(error.code).toBe(status.DATA_LOSS);
      expect(error.details).toBe(details);
    }

    it("refuses a ciphertext copied into another key's row", async () => {
      await db.query(
        `UPDATE ${SCHEMA}.provider_key_ciphertexts SET ciphertext = (SELECT ciphertext
           FROM ${SCHEMA}.provider_key_ciphertexts WHERE tenant_id = $1 AND provider_key_id = 'key-1')
         WHERE tenant_id = $1 AND provider_key_id = 'key-2'`,
        [tenantA],
      );

      await expectCleanFailure(
        open(tenantA, 'key-2', ownerA),
        'provider key ciphertext failed authentication',
      );
    });

    it("refuses a ciphertext copied into another tenant's row", async () => {
      await db.query(
        `UPDATE ${SCHEMA}.provider_key_ciphertexts SET ciphertext = (SELECT ciphertext
           FROM ${SCHEMA}.provider_key_ciphertexts WHERE tenant_id = $1 AND provider_key_id = 'key-1')
         WHERE tenant_id = $2 AND provider_key_id = 'key-1'`,
        [tenantA, tenantB],
      );

      await expectCleanFailure(
        open(tenantB, 'key-1', ownerB),
        'provider key ciphertext failed authentication',
      );
    });

    it('refuses a stored ciphertext with one flipped bit', async () => {
      await db.query(
        `UPDATE ${SCHEMA}.provider_key_ciphertexts
         SET ciphertext = set_byte(ciphertext, 30, get_byte(ciphertext, 30) # 4)
         WHERE tenant_id = $1 AND provider_key_id = 'key-1'`,
        [tenantA],
      );

      await expectCleanFailure(
        open(tenantA, 'key-1', ownerA),
        'provider key ciphertext failed authentication',
      );
    });

    it("refuses a credential slot copied into another tenant's slot row", async () => {
      await db.query(
        `UPDATE ${SCHEMA}.credential_slots SET sealed = (SELECT sealed
           FROM ${SCHEMA}.credential_slots WHERE tenant_id = $1)
         WHERE tenant_id = $2`,
        [tenantA, tenantB],
      );

      await expectCleanFailure(
        open(tenantB, 'key-1', ownerB),
        'credential slot failed authentication',
      );
    });

    it('refuses a credential slot with one flipped bit', async () => {
      await db.query(
        `UPDATE ${SCHEMA}.credential_slots
         SET sealed = set_byte(sealed, 50, get_byte(sealed, 50) # 1) WHERE tenant_id = $1`,
        [tenantA],
      );

      await expectCleanFailure(
        open(tenantA, 'key-1', ownerA),
        'credential slot failed authentication',
      );
    });
  });

  it('destroys a provider key ciphertext', async () => {
    const tenantId = randomUUID();
    const owner = credential();
    await store(tenantId, 'key-1', owner);

    const ref = { tenantId, providerKeyId: 'key-1', credential: owner };
    const first = await client.call('destroyProviderKey', ref);
    const second = await client.call('destroyProviderKey', ref);
    const error = await rpcError(open(tenantId, 'key-1', owner));

    expect(first).toEqual({ destroyed: true });
    expect(second).toEqual({ destroyed: false });
    expect(error.code).toBe(status.NOT_FOUND);
  });

  it('keeps no secret in any table, in any form', async () => {
    const dump = await dumpDatabase(db);

    const hits = secretsSeen.flatMap(formsOf).filter((form) => dump.includes(form));

    expect(secretsSeen.length).toBeGreaterThan(10);
    // The dump is real: tenant ids, stored in the clear, are found in it.
    expect(tenantsSeen.filter((tenantId) => dump.includes(tenantId))).toEqual(tenantsSeen);
    expect(hits).toEqual([]);
  });

  it('never writes a secret, a wrapping secret or the KEK to its output', async () => {
    const forms = [
      ...secretsSeen.flatMap(formsOf),
      ...wrappingSecretsSeen.flatMap(formsOf),
      ...formsOf(Buffer.from(kek, 'base64')),
      kek,
    ];

    const hits = forms.filter((form) => vault.logs.includes(form));

    expect(vault.logs).toContain('provider key opened');
    expect(hits).toEqual([]);
  });
});

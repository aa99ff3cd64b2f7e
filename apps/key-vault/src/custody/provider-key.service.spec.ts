import { randomBytes } from 'node:crypto';

import { MetricCapture } from '@xai/telemetry';

import {
  DESTINATION,
  kekService,
  keyVaultErrorOf,
  mockRepositories,
  newCredential,
  recordingKeyUses,
  rowKey,
} from '../../test/custody-fixtures';
import { KeyVaultErrorCode } from '../errors/key-vault-error-code';
import { KekService } from '../kek/kek.service';
import { KeyVaultMetrics } from '../telemetry/key-vault-metrics';
import { EnvelopeCipher } from './envelope.cipher';
import { KeyringService } from './keyring.service';
import { ProviderKeyService } from './provider-key.service';
import { TenantCredential } from './tenant-credential';

const TENANT = 'tenant-1';
const SECRET = 'sk-proj-canary-7f3a9c';

function setUp(kek: KekService = kekService()) {
  const repositories = mockRepositories();
  const cipher = new EnvelopeCipher(kek);
  const keyrings = new KeyringService(repositories.keyrings, cipher);
  const keyUses = recordingKeyUses();
  const metrics = new MetricCapture();
  const service = new ProviderKeyService(
    kek,
    keyrings,
    repositories.ciphertexts,
    cipher,
    keyUses.emitter,
    new KeyVaultMetrics(metrics.meter),
  );

  return { ...repositories, service, uses: keyUses.uses, metrics };
}

function encryptInput(providerKeyId: string, secretKey: string, credential: TenantCredential) {
  return { tenantId: TENANT, providerKeyId, secretKey, credential, destination: DESTINATION };
}

function encrypt(
  service: ProviderKeyService,
  providerKeyId: string,
  secretKey: string,
  credential: TenantCredential,
): Promise<{ dekVersion: number }> {
  return service.encrypt(encryptInput(providerKeyId, secretKey, credential));
}

function decrypt(
  service: ProviderKeyService,
  providerKeyId: string,
  credential: TenantCredential,
): Promise<{ secretKey: string; slotExpiresAt: string }> {
  return service.decrypt({
    tenantId: TENANT,
    providerKeyId,
    credential,
    requestId: 'request-1',
    destination: DESTINATION,
  });
}

describe(ProviderKeyService.name, () => {
  const owner = newCredential();

  describe('encrypt', () => {
    it("creates a new tenant's keyring, slot and ciphertext in one write", async () => {
      const { service, keyrings, ciphertexts, stored } = setUp();

      const result = await encrypt(service, 'key-1', SECRET, owner);

      expect(result).toEqual({ dekVersion: 1, revision: '', slotExpiresAt: '' });
      expect(keyrings.create).toHaveBeenCalledTimes(1);
      expect(ciphertexts.save).not.toHaveBeenCalled();
      expect(stored.slots.get(rowKey(TENANT, owner.slotId))?.kekVersion).toBe(1);
      expect(stored.ciphertexts.get(rowKey(TENANT, 'key-1'))?.ciphertext.includes(SECRET)).toBe(
        false,
      );
    });

    it("seals under the existing keyring when the caller's credential opens it", async () => {
      const { service, keyrings, ciphertexts } = setUp();
      await encrypt(service, 'key-1', 'first-secret', owner);

      await encrypt(service, 'key-2', SECRET, owner);
      const opened = await decrypt(service, 'key-2', owner);

      expect(keyrings.create).toHaveBeenCalledTimes(1);
      expect(ciphertexts.save).toHaveBeenCalledTimes(1);
      expect(opened.secretKey).toBe(SECRET);
    });

    it('replaces the ciphertext of a provider key sealed before', async () => {
      const { service } = setUp();
      await encrypt(service, 'key-1', 'old-secret', owner);

      await encrypt(service, 'key-1', SECRET, owner);
      const opened = await decrypt(service, 'key-1', owner);

      expect(opened.secretKey).toBe(SECRET);
    });

    it('opens the keyring a concurrent request created first', async () => {
      const { service, keyrings, ciphertexts } = setUp();
      await encrypt(service, 'key-1', 'first-secret', owner);
      // This request saw no keyring yet, as if it had looked just before the other one committed.
      keyrings.exists.mockResolvedValueOnce(false);

      const result = await encrypt(service, 'key-2', SECRET, owner);
      const opened = await decrypt(service, 'key-2', owner);

      expect(result).toMatchObject({
        dekVersion: 1,
        revision: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      expect(keyrings.create).toHaveBeenCalledTimes(2);
      expect(ciphertexts.save).toHaveBeenCalledTimes(1);
      expect(opened.secretKey).toBe(SECRET);
    });

    it('replaces a ciphertext only while it is at the revision the caller read', async () => {
      const { service, ciphertexts } = setUp();
      await encrypt(service, 'key-1', 'old-secret', owner);
      const { revision } = await service.revision({ tenantId: TENANT, providerKeyId: 'key-1' });
      const first = await service.encrypt({
        ...encryptInput('key-1', 'first-writer', owner),
        expectedRevision: revision,
      });

      const code = await keyVaultErrorOf(() =>
        service.encrypt({
          ...encryptInput('key-1', 'second-writer', owner),
          expectedRevision: revision,
        }),
      );

      expect(first.revision).not.toBe(revision);
      expect(code).toBe(KeyVaultErrorCode.RevisionMismatch);
      expect(ciphertexts.replaceIfRevision).toHaveBeenCalledTimes(2);
      expect((await decrypt(service, 'key-1', owner)).secretKey).toBe('first-writer');
    });

    it.each([
      ['has no slot', () => newCredential()],
      ['has a wrong wrapping secret', () => ({ ...owner, wrappingSecret: randomBytes(32) })],
    ])('refuses a credential that %s and writes nothing', async (_case, credential) => {
      const { service, ciphertexts } = setUp();
      await encrypt(service, 'key-1', 'first-secret', owner);

      const code = await keyVaultErrorOf(() => encrypt(service, 'key-2', SECRET, credential()));

      expect(code).toBe(KeyVaultErrorCode.CredentialRejected);
      expect(ciphertexts.save).not.toHaveBeenCalled();
    });
  });

  describe('decrypt', () => {
    it('opens a provider key with the credential of its keyring', async () => {
      const { service } = setUp();
      await encrypt(service, 'key-1', SECRET, owner);

      const opened = await decrypt(service, 'key-1', owner);

      expect(opened).toEqual({ secretKey: SECRET, slotExpiresAt: '' });
    });

    it("says when the credential's slot stops opening, as key-vault stores it", async () => {
      const { service, stored } = setUp();
      await encrypt(service, 'key-1', SECRET, owner);
      const expiresAt = new Date(Date.now() + 60_000);
      Object.assign(stored.slots.get(rowKey(TENANT, owner.slotId)) ?? {}, { expiresAt });

      const opened = await decrypt(service, 'key-1', owner);

      expect(opened.slotExpiresAt).toBe(expiresAt.toISOString());
    });

    it('answers not found for a provider key without a ciphertext', async () => {
      const { service } = setUp();
      await encrypt(service, 'key-1', SECRET, owner);

      const code = await keyVaultErrorOf(() => decrypt(service, 'absent', owner));

      expect(code).toBe(KeyVaultErrorCode.ProviderKeyNotFound);
    });

    it('checks the credential before saying whether a key exists', async () => {
      const { service } = setUp();
      await encrypt(service, 'key-1', SECRET, owner);
      const stranger = newCredential();

      const absent = await keyVaultErrorOf(() => decrypt(service, 'absent', stranger));
      const present = await keyVaultErrorOf(() => decrypt(service, 'key-1', stranger));

      expect([absent, present]).toEqual([
        KeyVaultErrorCode.CredentialRejected,
        KeyVaultErrorCode.CredentialRejected,
      ]);
    });

    it('refuses a ciphertext row that names another DEK version', async () => {
      const { service, stored } = setUp();
      await encrypt(service, 'key-1', SECRET, owner);
      const row = stored.ciphertexts.get(rowKey(TENANT, 'key-1'));
      stored.ciphertexts.set(rowKey(TENANT, 'key-1'), { ...row!, dekVersion: 2 });

      const code = await keyVaultErrorOf(() => decrypt(service, 'key-1', owner));

      expect(code).toBe(KeyVaultErrorCode.CiphertextCorrupted);
    });
  });

  describe('key-use events', () => {
    it('reports one decrypt with its request and slot', async () => {
      const { service, uses } = setUp();
      await encrypt(service, 'key-1', SECRET, owner);

      await decrypt(service, 'key-1', owner);

      expect(uses.at(-1)).toEqual({
        tenantId: TENANT,
        providerKeyId: 'key-1',
        operation: 'decrypt',
        requestId: 'request-1',
        slotId: owner.slotId,
        outcome: 'ok',
      });
      expect(JSON.stringify(uses)).not.toContain(SECRET);
    });

    it.each([
      ['denied', () => newCredential(), 'denied'],
      ['a failure', () => owner, 'error'],
    ])('reports a decrypt that was %s', async (_case, credential, outcome) => {
      const { service, stored, uses } = setUp();
      await encrypt(service, 'key-1', SECRET, owner);
      const row = stored.ciphertexts.get(rowKey(TENANT, 'key-1'))!;
      row.ciphertext[row.ciphertext.length - 1] ^= 0x01;

      await keyVaultErrorOf(() => decrypt(service, 'key-1', credential()));

      expect(uses.at(-1)).toMatchObject({ operation: 'decrypt', outcome });
    });
  });

  describe('metrics', () => {
    it('counts and times decrypts by outcome, with no tenant or key in the labels', async () => {
      const { service, metrics } = setUp();
      await encrypt(service, 'key-1', SECRET, owner);

      await decrypt(service, 'key-1', owner);
      await decrypt(service, 'key-1', owner);
      await keyVaultErrorOf(() => decrypt(service, 'key-1', newCredential()));

      const decrypts = { 'xai.key.operation': 'decrypt' };
      expect(
        await metrics.total('xai.key_vault.operations', { ...decrypts, 'xai.outcome': 'ok' }),
      ).toBe(2);
      expect(
        await metrics.total('xai.key_vault.operations', { ...decrypts, 'xai.outcome': 'denied' }),
      ).toBe(1);
      expect(await metrics.total('xai.key_vault.operation.duration', decrypts)).toBe(3);
      const labels = JSON.stringify(await metrics.points('xai.key_vault.operations'));
      expect(labels).not.toContain(TENANT);
      expect(labels).not.toContain('key-1');
      expect(labels).not.toContain(owner.slotId);
    });
  });

  describe('destroy', () => {
    it('says whether a ciphertext existed', async () => {
      const { service } = setUp();
      await encrypt(service, 'key-1', SECRET, owner);

      const first = await service.destroy({
        tenantId: TENANT,
        providerKeyId: 'key-1',
        credential: owner,
      });
      const second = await service.destroy({
        tenantId: TENANT,
        providerKeyId: 'key-1',
        credential: owner,
      });

      expect(first).toEqual({ destroyed: true });
      expect(second).toEqual({ destroyed: false });
    });

    it('refuses a caller whose credential does not open the keyring, and keeps the key', async () => {
      const { service, ciphertexts } = setUp();
      await encrypt(service, 'key-1', SECRET, owner);

      const code = await keyVaultErrorOf(() =>
        service.destroy({ tenantId: TENANT, providerKeyId: 'key-1', credential: newCredential() }),
      );

      expect(code).toBe(KeyVaultErrorCode.CredentialRejected);
      expect(ciphertexts.delete).not.toHaveBeenCalled();
      expect((await decrypt(service, 'key-1', owner)).secretKey).toBe(SECRET);
    });
  });

  describe('while sealed', () => {
    it('refuses every operation before touching storage', async () => {
      const { service, keyrings, ciphertexts } = setUp(kekService({}));

      const codes = [
        await keyVaultErrorOf(() => encrypt(service, 'key-1', SECRET, owner)),
        await keyVaultErrorOf(() => decrypt(service, 'key-1', owner)),
        await keyVaultErrorOf(() =>
          service.destroy({ tenantId: TENANT, providerKeyId: 'key-1', credential: owner }),
        ),
      ];

      expect(codes).toEqual(Array(3).fill(KeyVaultErrorCode.Sealed));
      expect(keyrings.exists).not.toHaveBeenCalled();
      expect(keyrings.findSlot).not.toHaveBeenCalled();
      expect(keyrings.findSlotAndCiphertext).not.toHaveBeenCalled();
      expect(ciphertexts.delete).not.toHaveBeenCalled();
    });
  });
});

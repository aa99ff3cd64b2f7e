import { randomBytes } from 'node:crypto';

import { encodeAssociatedData, generateAeadKey, generateKek, sealAead } from '@xai/crypto';

import { DESTINATION, kekService, keyVaultErrorOf } from '../../test/custody-fixtures';
import { KeyVaultErrorCode } from '../errors/key-vault-error-code';
import { DataKey, EnvelopeCipher, SealedSlot } from './envelope.cipher';

function flipBit(bytes: Buffer, index: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[index] ^= 0x10;

  return copy;
}

describe(EnvelopeCipher.name, () => {
  const slotAddress = { tenantId: 'tenant-a', slotId: 'slot-a' };
  const keyAddress = { tenantId: 'tenant-a', providerKeyId: 'key-a', destination: DESTINATION };
  const wrappingSecret = randomBytes(32);
  let dek: DataKey;
  let cipher: EnvelopeCipher;

  beforeEach(() => {
    dek = { version: 1, key: generateAeadKey() };
    cipher = new EnvelopeCipher(kekService());
  });

  describe('credential slots', () => {
    it('opens a slot with the wrapping secret it was sealed for', () => {
      const slot = cipher.sealSlot(slotAddress, wrappingSecret, dek);

      const opened = cipher.openSlot(slotAddress, wrappingSecret, slot);

      expect(opened.version).toBe(1);
      expect(opened.key.equals(dek.key)).toBe(true);
      expect(slot.sealed.includes(dek.key)).toBe(false);
    });

    it('rejects another wrapping secret as a credential problem', async () => {
      const slot = cipher.sealSlot(slotAddress, wrappingSecret, dek);

      const code = await keyVaultErrorOf(() => cipher.openSlot(slotAddress, randomBytes(32), slot));

      expect(code).toBe(KeyVaultErrorCode.CredentialRejected);
    });

    it.each([
      ['another tenant', { tenantId: 'tenant-b', slotId: 'slot-a' }],
      ['another slot', { tenantId: 'tenant-a', slotId: 'slot-b' }],
    ])('refuses a slot moved to %s as corrupted', async (_case, address) => {
      const slot = cipher.sealSlot(slotAddress, wrappingSecret, dek);

      const code = await keyVaultErrorOf(() => cipher.openSlot(address, wrappingSecret, slot));

      expect(code).toBe(KeyVaultErrorCode.SlotCorrupted);
    });

    it.each([
      ['a flipped bit', (slot: SealedSlot) => ({ ...slot, sealed: flipBit(slot.sealed, 40) })],
      ['another DEK version', (slot: SealedSlot) => ({ ...slot, dekVersion: 2 })],
    ])('refuses a slot with %s', async (_case, alter) => {
      const slot = cipher.sealSlot(slotAddress, wrappingSecret, dek);

      const code = await keyVaultErrorOf(() =>
        cipher.openSlot(slotAddress, wrappingSecret, alter(slot)),
      );

      expect(code).toBe(KeyVaultErrorCode.SlotCorrupted);
    });

    it('seals new slots under the newest KEK and still opens older ones', () => {
      const [v1, v2] = [generateKek(), generateKek()];
      const before = new EnvelopeCipher(kekService({ XAI_KEK: `1:${v1}` }));
      const after = new EnvelopeCipher(kekService({ XAI_KEK: `1:${v1},2:${v2}` }));
      const oldSlot = before.sealSlot(slotAddress, wrappingSecret, dek);

      const newSlot = after.sealSlot(slotAddress, wrappingSecret, dek);

      expect(oldSlot.kekVersion).toBe(1);
      expect(newSlot.kekVersion).toBe(2);
      expect(after.openSlot(slotAddress, wrappingSecret, oldSlot).key.equals(dek.key)).toBe(true);
    });

    it('refuses a slot relabelled with another KEK version', async () => {
      const ring = `1:${generateKek()},2:${generateKek()}`;
      const twoVersions = new EnvelopeCipher(kekService({ XAI_KEK: ring }));
      const slot = twoVersions.sealSlot(slotAddress, wrappingSecret, dek);

      const code = await keyVaultErrorOf(() =>
        twoVersions.openSlot(slotAddress, wrappingSecret, { ...slot, kekVersion: 1 }),
      );

      expect(code).toBe(KeyVaultErrorCode.SlotCorrupted);
    });

    it('reports a slot sealed under a KEK version that is not loaded', async () => {
      const slot = cipher.sealSlot(slotAddress, wrappingSecret, dek);

      const code = await keyVaultErrorOf(() =>
        cipher.openSlot(slotAddress, wrappingSecret, { ...slot, kekVersion: 9 }),
      );

      expect(code).toBe(KeyVaultErrorCode.KekVersionUnavailable);
    });

    it('cannot open a slot with another KEK, even with the wrapping secret', async () => {
      const slot = cipher.sealSlot(slotAddress, wrappingSecret, dek);
      const otherKek = new EnvelopeCipher(kekService());

      const code = await keyVaultErrorOf(() =>
        otherKek.openSlot(slotAddress, wrappingSecret, slot),
      );

      expect(code).toBe(KeyVaultErrorCode.SlotCorrupted);
    });

    it('refuses to seal or open while sealed', async () => {
      const slot = cipher.sealSlot(slotAddress, wrappingSecret, dek);
      const sealedVault = new EnvelopeCipher(kekService({}));

      const codes = [
        await keyVaultErrorOf(() => sealedVault.sealSlot(slotAddress, wrappingSecret, dek)),
        await keyVaultErrorOf(() => sealedVault.openSlot(slotAddress, wrappingSecret, slot)),
      ];

      expect(codes).toEqual([KeyVaultErrorCode.Sealed, KeyVaultErrorCode.Sealed]);
    });
  });

  describe('provider keys', () => {
    const secret = 'sk-live-provider-secret';

    it('opens a provider key with the DEK it was sealed under', () => {
      const ciphertext = cipher.sealProviderKey(keyAddress, dek, secret);

      const opened = cipher.openProviderKey(keyAddress, dek, ciphertext);

      expect(opened).toBe(secret);
      expect(ciphertext.includes(Buffer.from(secret))).toBe(false);
    });

    it.each([
      ['another provider key', { ...keyAddress, providerKeyId: 'key-b' }],
      ['another tenant', { ...keyAddress, tenantId: 'tenant-b' }],
    ])('refuses a ciphertext moved to %s', async (_case, address) => {
      const ciphertext = cipher.sealProviderKey(keyAddress, dek, secret);

      const code = await keyVaultErrorOf(() => cipher.openProviderKey(address, dek, ciphertext));

      expect(code).toBe(KeyVaultErrorCode.CiphertextCorrupted);
    });

    it.each([
      ['another host', { baseUrl: 'https://attacker.example.test/v1' }],
      ['another path', { baseUrl: 'https://api.example.test/v2' }],
      ['another provider type', { providerType: 'azure' }],
      ['another deployment setting', { settings: [{ name: 'deployment', value: 'elsewhere' }] }],
    ])('refuses to open a key for %s than it was sealed for', async (_case, change) => {
      const ciphertext = cipher.sealProviderKey(keyAddress, dek, secret);
      const moved = { ...keyAddress, destination: { ...DESTINATION, ...change } };

      const code = await keyVaultErrorOf(() => cipher.openProviderKey(moved, dek, ciphertext));

      expect(code).toBe(KeyVaultErrorCode.CiphertextCorrupted);
    });

    it('tells a setting name that holds "=" from a value that holds it', async () => {
      const sealedFor = {
        ...DESTINATION,
        settings: [{ name: 'deployments.gpt-4o=x', value: 'y' }],
      };
      const openedFor = {
        ...DESTINATION,
        settings: [{ name: 'deployments.gpt-4o', value: 'x=y' }],
      };
      const ciphertext = cipher.sealProviderKey(
        { ...keyAddress, destination: sealedFor },
        dek,
        secret,
      );

      const code = await keyVaultErrorOf(() =>
        cipher.openProviderKey({ ...keyAddress, destination: openedFor }, dek, ciphertext),
      );

      expect(code).toBe(KeyVaultErrorCode.CiphertextCorrupted);
    });

    it('refuses a ciphertext sealed without a destination (v1) with its own code', async () => {
      const legacyData = encodeAssociatedData('xai/key-vault/provider-key/v1', [
        keyAddress.tenantId,
        keyAddress.providerKeyId,
        dek.version,
      ]);
      const legacy = sealAead(dek.key, Buffer.from(secret), legacyData);

      const code = await keyVaultErrorOf(() => cipher.openProviderKey(keyAddress, dek, legacy));

      expect(code).toBe(KeyVaultErrorCode.CiphertextUnbound);
    });

    it('refuses a ciphertext with a flipped bit, another DEK or another DEK version', async () => {
      const ciphertext = cipher.sealProviderKey(keyAddress, dek, secret);
      const otherDek = { version: 1, key: generateAeadKey() };

      const codes = [
        await keyVaultErrorOf(() =>
          cipher.openProviderKey(keyAddress, dek, flipBit(ciphertext, 30)),
        ),
        await keyVaultErrorOf(() => cipher.openProviderKey(keyAddress, otherDek, ciphertext)),
        await keyVaultErrorOf(() =>
          cipher.openProviderKey(keyAddress, { ...dek, version: 2 }, ciphertext),
        ),
      ];

      expect(codes).toEqual(Array(3).fill(KeyVaultErrorCode.CiphertextCorrupted));
    });
  });
});

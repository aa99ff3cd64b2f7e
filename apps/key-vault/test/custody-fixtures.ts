import { randomBytes, randomUUID } from 'node:crypto';

import type { DestinationSetting } from '@xai/contracts';
import { generateKek } from '@xai/crypto';

import {
  CredentialSlotRow,
  KeyringRepository,
  NewKeyring,
  ProviderKeyCiphertextRow,
} from '../src/custody/keyring.repository';
import { KeyVaultErrorCode } from '../src/errors/key-vault-error-code';
import { KeyVaultException } from '../src/errors/key-vault.exception';
import {
  ProviderKeyCiphertextRepository,
  ciphertextRevision,
} from '../src/custody/provider-key-ciphertext.repository';
import { TenantCredential } from '../src/custody/tenant-credential';
import { KeyUse, KeyUseEmitter } from '../src/events/key-use.emitter';
import { KekService, KekSource } from '../src/kek/kek.service';

/** A KEK service holding a fresh KEK (or the given key-ring text), verified when it parses. */
export function kekService(source: KekSource = { XAI_KEK: generateKek() }): KekService {
  const service = new KekService(source);
  service.markVerified();

  return service;
}

/** A destination as the gateway sends it: where a test provider key is sent. */
export const DESTINATION = {
  baseUrl: 'https://api.example.test/v1',
  providerType: 'openai',
  settings: [] as DestinationSetting[],
};

/** A credential with a random slot id and wrapping secret. */
export function newCredential(): TenantCredential {
  return { slotId: randomUUID(), wrappingSecret: randomBytes(32) };
}

/** What the typed repository mocks below store, readable and alterable by a test. */
export interface StoredRows {
  keyrings: Set<string>;
  slots: Map<string, CredentialSlotRow>;
  ciphertexts: Map<string, ProviderKeyCiphertextRow>;
}

/** The map key of a slot or ciphertext row in {@link StoredRows}. */
export function rowKey(tenantId: string, id: string): string {
  return JSON.stringify([tenantId, id]);
}

/** The code of the {@link KeyVaultException} `action` fails with, or `undefined` if it succeeds. */
export async function keyVaultErrorOf(
  action: () => unknown,
): Promise<KeyVaultErrorCode | undefined> {
  try {
    await action();
  } catch (error) {
    if (error instanceof KeyVaultException) return error.code;
    throw error;
  }

  return undefined;
}

/** A key-use emitter that records what it was given instead of writing to Redis. */
export function recordingKeyUses(): { emitter: KeyUseEmitter; uses: KeyUse[] } {
  const uses: KeyUse[] = [];
  const emitter = { emit: jest.fn((use: KeyUse) => uses.push(use)) } as unknown as KeyUseEmitter;

  return { emitter, uses };
}

/** Typed jest mocks of both repositories, backed by maps so flows behave as against a database. */
export function mockRepositories(): {
  stored: StoredRows;
  keyrings: jest.Mocked<KeyringRepository>;
  ciphertexts: jest.Mocked<ProviderKeyCiphertextRepository>;
} {
  const stored: StoredRows = { keyrings: new Set(), slots: new Map(), ciphertexts: new Map() };
  const keyrings = {
    exists: jest.fn(async (tenantId: string) => stored.keyrings.has(tenantId)),
    findSlot: jest.fn(async (tenantId: string, slotId: string) => {
      return stored.slots.get(rowKey(tenantId, slotId)) ?? null;
    }),
    findSlotAndCiphertext: jest.fn(
      async (tenantId: string, slotId: string, providerKeyId: string) => {
        const slot = stored.slots.get(rowKey(tenantId, slotId)) ?? null;
        const ciphertext = slot
          ? (stored.ciphertexts.get(rowKey(tenantId, providerKeyId)) ?? null)
          : null;

        return { slot, ciphertext };
      },
    ),
    create: jest.fn(async (keyring: NewKeyring) => {
      if (stored.keyrings.has(keyring.tenantId)) return false;
      stored.keyrings.add(keyring.tenantId);
      for (const slot of keyring.slots) stored.slots.set(rowKey(slot.tenantId, slot.slotId), slot);
      const { ciphertext } = keyring;
      if (ciphertext) {
        stored.ciphertexts.set(rowKey(ciphertext.tenantId, ciphertext.providerKeyId), ciphertext);
      }

      return true;
    }),
  } as unknown as jest.Mocked<KeyringRepository>;
  const ciphertexts = {
    find: jest.fn(async (tenantId: string, providerKeyId: string) => {
      return stored.ciphertexts.get(rowKey(tenantId, providerKeyId)) ?? null;
    }),
    save: jest.fn(async (row: ProviderKeyCiphertextRow) => {
      stored.ciphertexts.set(rowKey(row.tenantId, row.providerKeyId), row);
    }),
    revision: jest.fn(async (tenantId: string, providerKeyId: string) => {
      const row = stored.ciphertexts.get(rowKey(tenantId, providerKeyId));

      return row && ciphertextRevision(row.ciphertext);
    }),
    replaceIfRevision: jest.fn(async (row: ProviderKeyCiphertextRow, revision: string) => {
      const key = rowKey(row.tenantId, row.providerKeyId);
      const current = stored.ciphertexts.get(key);
      if (!current || ciphertextRevision(current.ciphertext) !== revision) return false;
      stored.ciphertexts.set(key, row);

      return true;
    }),
    delete: jest.fn(async (tenantId: string, providerKeyId: string) => {
      return stored.ciphertexts.delete(rowKey(tenantId, providerKeyId));
    }),
  } as unknown as jest.Mocked<ProviderKeyCiphertextRepository>;

  return { stored, keyrings, ciphertexts };
}

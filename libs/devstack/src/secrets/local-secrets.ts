import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { generateKek, generatePepper, generateVirtualKey } from './secret-generators';

/** The secrets a local stack runs with. */
export interface LocalSecrets {
  /** `XAI_KEK` of key-vault (base64 of 32 bytes). */
  kek: string;
  /** `XAI_VIRTUAL_KEY_PEPPER` of the gateway. */
  pepper: string;
  /** `XAI_SERVICE_TOKEN_GATEWAY` of the gateway and key-vault. */
  serviceToken: string;
  /** `XAI_BOOTSTRAP_OWNER_KEY` of the gateway. */
  ownerKey: string;
  /** Where the owner key is kept; absent when the caller supplied it. */
  ownerKeyFile?: string;
  /** True when the owner key was generated just now (show it once). */
  ownerKeyCreated: boolean;
  /** True when the KEK was generated just now. */
  kekCreated: boolean;
}

/**
 * Loads the local stack's secrets from `<dataDir>/secrets/`, generating each missing one once.
 * Files are readable by their owner only. These secrets are for a developer's machine: a real
 * installation supplies its own KEK and pepper.
 */
export async function loadLocalSecrets(dataDir: string, ownerKey?: string): Promise<LocalSecrets> {
  const dir = join(dataDir, 'secrets');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const kek = await readOrCreate(join(dir, 'kek'), generateKek);
  const pepper = await readOrCreate(join(dir, 'pepper'), generatePepper);
  // A pepper-shaped random value serves as the service token too (48 random bytes).
  const serviceToken = await readOrCreate(join(dir, 'service-token'), generatePepper);
  if (ownerKey !== undefined) {
    return {
      kek: kek.value,
      pepper: pepper.value,
      serviceToken: serviceToken.value,
      ownerKey,
      ownerKeyCreated: false,
      kekCreated: kek.created,
    };
  }
  const ownerKeyFile = join(dir, 'owner-key');
  const owner = await readOrCreate(ownerKeyFile, generateVirtualKey);

  return {
    kek: kek.value,
    pepper: pepper.value,
    serviceToken: serviceToken.value,
    ownerKey: owner.value,
    ownerKeyFile,
    ownerKeyCreated: owner.created,
    kekCreated: kek.created,
  };
}

async function readOrCreate(
  file: string,
  generate: () => string,
): Promise<{ value: string; created: boolean }> {
  const existing = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (existing !== undefined) {
    const value = existing.trim();
    if (value === '')
      throw new Error(`${file} is empty; delete it to have a new secret generated.`);

    return { value, created: false };
  }

  const value = generate();
  // `wx` refuses to overwrite: two launchers racing on one folder cannot swap a secret.
  await writeFile(file, `${value}\n`, { mode: 0o600, flag: 'wx' });

  return { value, created: true };
}

import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { loadLocalSecrets } from './local-secrets';

describe('loadLocalSecrets', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'xai-secrets-'));
  });

  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('generates each secret once, in files only the owner can read', async () => {
    const secrets = await loadLocalSecrets(dataDir);

    expect(secrets.ownerKeyCreated).toBe(true);
    expect(secrets.kekCreated).toBe(true);
    for (const name of ['kek', 'pepper', 'owner-key']) {
      const file = join(dataDir, 'secrets', name);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
    }
    expect((await stat(join(dataDir, 'secrets'))).mode & 0o777).toBe(0o700);
    expect(await readFile(join(dataDir, 'secrets', 'owner-key'), 'utf8')).toBe(
      `${secrets.ownerKey}\n`,
    );
  });

  it('returns the same secrets on the next start', async () => {
    const first = await loadLocalSecrets(dataDir);

    const second = await loadLocalSecrets(dataDir);

    expect(second).toEqual({ ...first, ownerKeyCreated: false, kekCreated: false });
  });

  it('uses a given owner key and writes no owner-key file', async () => {
    const ownerKey = 'xai-given-owner-key-0123456789abcdefghijklmnop';

    const secrets = await loadLocalSecrets(dataDir, ownerKey);

    expect(secrets.ownerKey).toBe(ownerKey);
    expect(secrets.ownerKeyFile).toBeUndefined();
    await expect(stat(join(dataDir, 'secrets', 'owner-key'))).rejects.toThrow('ENOENT');
  });

  it('gives a KEK of 32 bytes and a pepper of at least 32 characters', async () => {
    const secrets = await loadLocalSecrets(dataDir);

    expect(Buffer.from(secrets.kek, 'base64')).toHaveLength(32);
    expect(secrets.pepper.length).toBeGreaterThanOrEqual(32);
  });
});

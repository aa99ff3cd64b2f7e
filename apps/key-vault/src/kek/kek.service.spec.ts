import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { generateKek } from '@xai/crypto';

import { keyVaultErrorOf } from '../../test/custody-fixtures';
import { KeyVaultErrorCode } from '../errors/key-vault-error-code';
import { KekService } from './kek.service';

describe(KekService.name, () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'xai-kek-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads a key ring given inline', () => {
    const kek = generateKek();

    const service = new KekService({ XAI_KEK: `1:${generateKek()},2:${kek}` });
    service.markVerified();

    expect(service.status).toBe('ok');
    expect(service.keyRing().newestVersion).toBe(2);
    expect(service.keyRing().key(2).toString('base64')).toBe(kek);
  });

  it('loads a key ring from a file', () => {
    const kek = generateKek();
    const file = join(dir, 'kek');
    writeFileSync(file, `${kek}\n`);

    const service = new KekService({ XAI_KEK_FILE: file });
    service.markVerified();

    expect(service.status).toBe('ok');
    expect(service.keyRing().key(1).toString('base64')).toBe(kek);
  });

  it('stays sealed until the loaded KEK is verified', async () => {
    const service = new KekService({ XAI_KEK: generateKek() });

    expect(service.status).toBe('verifying');
    expect(await keyVaultErrorOf(() => service.keyRing())).toBe(KeyVaultErrorCode.Sealed);
  });

  it('stays sealed for good once the KEK is found wrong', async () => {
    const service = new KekService({ XAI_KEK: generateKek() });

    service.markWrong('KEK version 1 does not match its check value');
    service.markVerified();

    expect(service.status).toBe('wrong');
    expect(service.unverifiedRing).toBeUndefined();
    expect(await keyVaultErrorOf(() => service.keyRing())).toBe(KeyVaultErrorCode.Sealed);
  });

  it('stays sealed when no KEK is given', async () => {
    const service = new KekService({});

    expect(service.status).toBe('missing');
    expect(await keyVaultErrorOf(() => service.assertUnsealed())).toBe(KeyVaultErrorCode.Sealed);
    expect(await keyVaultErrorOf(() => service.keyRing())).toBe(KeyVaultErrorCode.Sealed);
  });

  it.each([
    ['a KEK that does not parse', () => ({ XAI_KEK: 'not-a-key' })],
    ['a KEK of the wrong length', () => ({ XAI_KEK: Buffer.alloc(16).toString('base64') })],
    ['a KEK file that does not exist', () => ({ XAI_KEK_FILE: join(dir, 'absent') })],
    ['both an inline KEK and a KEK file', () => ({ XAI_KEK: generateKek(), XAI_KEK_FILE: 'x' })],
  ])('stays sealed as invalid given %s', async (_case, source) => {
    const service = new KekService(source());

    expect(service.status).toBe('invalid');
    expect(await keyVaultErrorOf(() => service.keyRing())).toBe(KeyVaultErrorCode.Sealed);
  });
});

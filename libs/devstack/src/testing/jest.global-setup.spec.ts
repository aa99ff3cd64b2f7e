import { existsSync } from 'node:fs';
import { basename } from 'node:path';

import { redisPong } from '../net/probes';
import globalSetup from './jest.global-setup';
import globalTeardown from './jest.global-teardown';

describe('the jest global setup and teardown', () => {
  const given = { REDIS_URL: process.env.REDIS_URL, TMPDIR: process.env.TMPDIR };

  afterEach(() => {
    for (const [name, value] of Object.entries(given)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('starts a redis-server for the run when REDIS_URL is unset, and stops it', async () => {
    delete process.env.REDIS_URL;

    await globalSetup();
    const url = process.env.REDIS_URL ?? '';
    const answered = await redisPong(Number(new URL(url).port));
    await globalTeardown();

    expect(url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    expect(answered).toBe(true);
    expect(await redisPong(Number(new URL(url).port))).toBe(false);
    expect(process.env.REDIS_URL).toBeUndefined();
  });

  it('keeps a given REDIS_URL and starts nothing', async () => {
    process.env.REDIS_URL = 'redis://127.0.0.1:7777';

    await globalSetup();
    await globalTeardown();

    expect(process.env.REDIS_URL).toBe('redis://127.0.0.1:7777');
  });

  it('points TMPDIR at a folder of the run, deleted and restored by the teardown', async () => {
    process.env.REDIS_URL = 'redis://127.0.0.1:7777';
    process.env.TMPDIR = '/tmp/before-the-run';

    await globalSetup();
    const runDir = process.env.TMPDIR ?? '';
    const existedDuringRun = existsSync(runDir);
    await globalTeardown();

    expect(basename(runDir)).toMatch(/^xai-test-run-/);
    expect(existedDuringRun).toBe(true);
    expect(existsSync(runDir)).toBe(false);
    expect(process.env.TMPDIR).toBe('/tmp/before-the-run');
  });
});

import { redisPong } from '../net/probes';
import globalSetup from './jest.global-setup';
import globalTeardown from './jest.global-teardown';

describe('the jest global setup and teardown', () => {
  const given = process.env.REDIS_URL;

  afterEach(() => {
    if (given === undefined) delete process.env.REDIS_URL;
    else process.env.REDIS_URL = given;
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
});

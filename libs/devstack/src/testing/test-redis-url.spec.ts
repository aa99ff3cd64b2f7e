import { testRedisUrl } from './test-redis-url';

describe('testRedisUrl', () => {
  const given = process.env.REDIS_URL;

  afterEach(() => {
    if (given === undefined) delete process.env.REDIS_URL;
    else process.env.REDIS_URL = given;
  });

  it('returns REDIS_URL', () => {
    process.env.REDIS_URL = 'redis://127.0.0.1:7777';

    expect(testRedisUrl()).toBe('redis://127.0.0.1:7777');
  });

  it('fails, naming the variable, rather than guessing an address when REDIS_URL is unset', () => {
    delete process.env.REDIS_URL;

    expect(() => testRedisUrl()).toThrow(/REDIS_URL is not set/);
  });
});

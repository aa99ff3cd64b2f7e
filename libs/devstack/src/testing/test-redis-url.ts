import { loadDevstackConfig } from '../devstack.config';

/**
 * The Redis of this test run: `REDIS_URL`, which CI sets and which the jest global setup
 * otherwise points at a redis-server it started. Fails when it is missing rather than falling
 * back to a fixed address that may or may not have a Redis behind it.
 */
export function testRedisUrl(): string {
  const url = loadDevstackConfig().REDIS_URL;
  if (!url) {
    throw new Error(
      'REDIS_URL is not set. Run the tests with jest and the workspace jest.config.js (its ' +
        'global setup starts a redis-server when REDIS_URL is not given), or set REDIS_URL.',
    );
  }

  return url;
}

import { TEST_REDIS_KEY } from './jest.global-setup';
import type { TestRedis } from './test-redis';

/** Jest global teardown: stops the redis-server the global setup started, if it started one. */
export default async function globalTeardown(): Promise<void> {
  const slots = globalThis as Record<symbol, TestRedis | undefined>;
  const redis = slots[TEST_REDIS_KEY];
  if (!redis) return;

  slots[TEST_REDIS_KEY] = undefined;
  // In watch mode the next run starts a fresh server, so it must not find this URL set.
  delete process.env.REDIS_URL;
  await redis.stop();
}

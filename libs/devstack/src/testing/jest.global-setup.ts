import { installOrphanReaper } from '../process/orphan-reaper';
import { startTestRedis, TestRedis } from './test-redis';

/** Where the global teardown finds the server (both hooks run in jest's main process). */
export const TEST_REDIS_KEY = Symbol.for('xai.devstack.test-redis');

/** Long enough for the workers to stop their own children first (they get 5 s). */
const MAIN_PROCESS_GRACE_MS = 8_000;

/**
 * Jest global setup: gives the whole run a Redis. With `REDIS_URL` set (CI) the tests use that
 * server; otherwise one redis-server is started on a free loopback port and `REDIS_URL` points
 * at it, which the workers inherit (they are started after this hook). Also makes sure an
 * interrupted run leaves no server behind.
 *
 * This hook runs outside jest's module mapping, so it reads the environment itself instead of
 * through `loadConfig` from `@xai/common`, which would not resolve here.
 */
export default async function globalSetup(): Promise<void> {
  installOrphanReaper({ graceMs: MAIN_PROCESS_GRACE_MS });
  if (process.env.REDIS_URL) return;

  const redis = await startTestRedis(process.env.PATH ?? '');
  process.env.REDIS_URL = redis.url;
  (globalThis as Record<symbol, TestRedis | undefined>)[TEST_REDIS_KEY] = redis;
}

import { randomBytes } from 'node:crypto';

import Redis from 'ioredis';

import { redisPong } from '../net/probes';
import { SupervisedProcess } from '../process/supervised-process';
import { redisServerArgs, RedisServerArgsOptions } from './redis-server';

export { findRedisServer, redisServerArgs, RedisUnavailableException } from './redis-server';

/** Options of {@link spawnedRedis}. */
export interface SpawnedRedisOptions extends RedisServerArgsOptions {
  binary: string;
  logFile?: string;
  onLogLine?: (name: string, line: string) => void;
  readyTimeoutMs: number;
}

/** A redis-server on 127.0.0.1, supervised like the services. */
export function spawnedRedis(options: SpawnedRedisOptions): SupervisedProcess {
  return new SupervisedProcess({
    name: 'redis',
    command: options.binary,
    args: redisServerArgs(options),
    cwd: options.dir,
    env: process.env,
    isReady: () => redisPong(options.port),
    readyTimeoutMs: options.readyTimeoutMs,
    logFile: options.logFile,
    onLogLine: options.onLogLine,
  });
}

/** A key prefix of its own for one stack on a shared Redis: `xai:e2e:<random>:`. */
export function isolatedRedisPrefix(): string {
  return `xai:e2e:${randomBytes(6).toString('hex')}:`;
}

/** `text` with the glob characters of Redis MATCH patterns escaped. */
export function escapeRedisGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (char) => `\\${char}`);
}

/** Deletes every key under `prefix` (what an isolated stack left on a shared Redis). */
export async function deleteRedisPrefix(url: string, prefix: string): Promise<number> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    let deleted = 0;
    const stream = redis.scanStream({ match: `${escapeRedisGlob(prefix)}*`, count: 500 });
    for await (const keys of stream as AsyncIterable<string[]>) {
      if (keys.length > 0) deleted += await redis.unlink(...keys);
    }

    return deleted;
  } finally {
    redis.disconnect();
  }
}

import { randomBytes } from 'node:crypto';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

import Redis from 'ioredis';

import { redisPong } from '../net/probes';
import { SupervisedProcess } from '../process/supervised-process';

/** Thrown when no Redis can be had: no `REDIS_URL` and no `redis-server` on the PATH. */
export class RedisUnavailableException extends Error {
  constructor() {
    super(
      'No Redis available: REDIS_URL is not set and no redis-server was found on the PATH. ' +
        'Install one (Debian/Ubuntu: `sudo apt-get install redis-server`; macOS: ' +
        '`brew install redis`) or point REDIS_URL at a running Redis, e.g. ' +
        'REDIS_URL=redis://127.0.0.1:6379.',
    );
    this.name = RedisUnavailableException.name;
  }
}

/** The first executable `redis-server` on `pathVariable`, if any. */
export function findRedisServer(pathVariable = process.env.PATH ?? ''): string | undefined {
  for (const dir of pathVariable.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, 'redis-server');
    try {
      accessSync(candidate, constants.X_OK);

      return candidate;
    } catch {
      continue;
    }
  }

  return undefined;
}

/** Options of {@link spawnedRedis}. */
export interface SpawnedRedisOptions {
  binary: string;
  port: number;
  /** Working folder: the append-only file lives here when persistent. */
  dir: string;
  /** Keep data between runs (append-only file) or not at all. */
  persistent: boolean;
  logFile?: string;
  onLogLine?: (name: string, line: string) => void;
  readyTimeoutMs: number;
}

/** The command-line arguments of a local redis-server. */
export function redisServerArgs(
  options: Pick<SpawnedRedisOptions, 'port' | 'dir' | 'persistent'>,
): string[] {
  return [
    '--port',
    String(options.port),
    '--bind',
    '127.0.0.1',
    '--dir',
    options.dir,
    '--save',
    '',
    '--appendonly',
    options.persistent ? 'yes' : 'no',
    '--daemonize',
    'no',
  ];
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

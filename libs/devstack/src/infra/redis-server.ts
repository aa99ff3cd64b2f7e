import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/*
 * The parts of running a local redis-server that need nothing but Node itself: the jest global
 * setup loads them outside jest's module mapping, where `@xai/*` imports do not resolve.
 */

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

/** Where and how a local redis-server keeps its data. */
export interface RedisServerArgsOptions {
  port: number;
  /** Working folder: the append-only file lives here when persistent. */
  dir: string;
  /** Keep data between runs (append-only file) or not at all. */
  persistent: boolean;
}

/** The command-line arguments of a local redis-server. */
export function redisServerArgs(options: RedisServerArgsOptions): string[] {
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

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import { AppLogger } from '@xai/common';

import { embeddedPostgres, embeddedPostgresUrl } from '../infra/embedded-postgres';
import { createIsolatedDatabase } from '../infra/isolated-database';
import {
  deleteRedisPrefix,
  findRedisServer,
  isolatedRedisPrefix,
  RedisUnavailableException,
  spawnedRedis,
} from '../infra/redis';
import { freePorts } from '../net/ports';
import { SupervisedProcess } from '../process/supervised-process';
import { DATABASE_SERVICES, DatabaseServiceName } from './stack.types';

/** What the infrastructure step needs to know. */
export interface InfrastructureOptions {
  dataDir: string;
  rootDir: string;
  persistent: boolean;
  isolate: boolean;
  databaseUrl?: string;
  redisUrl?: string;
  /** The PATH to look for `redis-server` on. */
  searchPath: string;
  logLevel: string;
  readyTimeoutMs: number;
  logFile: (process: string) => string | undefined;
  onLogLine?: (process: string, line: string) => void;
}

/** PostgreSQL and Redis, ready for the services. */
export interface Infrastructure {
  databaseUrls: Record<DatabaseServiceName, string>;
  /** True when the databases are embedded PGlite servers. */
  embeddedDatabase: boolean;
  redisUrl: string;
  redisPrefix: string;
  /** Processes started for it (PGlite servers, redis-server), stopped after the services. */
  processes: SupervisedProcess[];
  /** Removes what was created for isolation (database, Redis keys); run after everything. */
  cleanups: Array<() => Promise<void>>;
}

/**
 * Brings up the stack's PostgreSQL and Redis: the given servers (with a database and key prefix
 * of the stack's own when isolating), or else embedded ones. Whatever has been started is
 * handed to `started` at once, so a failure half-way can still be cleaned up.
 */
export async function startInfrastructure(
  options: InfrastructureOptions,
  started: Infrastructure,
): Promise<void> {
  // Settled, not all: a failure must not return while the other half is still starting things
  // that would then escape the clean-up.
  const results = await Promise.allSettled([
    startDatabases(options, started),
    startRedis(options, started),
  ]);
  for (const result of results) if (result.status === 'rejected') throw result.reason;
}

/** An empty {@link Infrastructure}, filled in by {@link startInfrastructure}. */
export function emptyInfrastructure(): Infrastructure {
  return {
    databaseUrls: { config: '', 'key-vault': '', 'audit-log': '' },
    embeddedDatabase: false,
    redisUrl: '',
    redisPrefix: 'xai:',
    processes: [],
    cleanups: [],
  };
}

async function startDatabases(options: InfrastructureOptions, into: Infrastructure): Promise<void> {
  if (options.databaseUrl) {
    const url = options.isolate
      ? await isolatedDatabaseUrl(options.databaseUrl, into)
      : options.databaseUrl;
    for (const service of DATABASE_SERVICES) into.databaseUrls[service] = url;

    return;
  }
  into.embeddedDatabase = true;
  const ports = await freePorts(DATABASE_SERVICES.length);
  const servers = DATABASE_SERVICES.map((service, index) => {
    into.databaseUrls[service] = embeddedPostgresUrl(ports[index]);
    const server = embeddedPostgres({
      service,
      port: ports[index],
      dataDir: join(options.dataDir, 'pg', service),
      logLevel: options.logLevel,
      readyTimeoutMs: options.readyTimeoutMs,
      logFile: options.logFile(`pglite-${service}`),
      onLogLine: options.onLogLine,
    });
    into.processes.push(server);

    return server;
  });
  await Promise.all(servers.map((server) => server.start()));
}

async function isolatedDatabaseUrl(serverUrl: string, into: Infrastructure): Promise<string> {
  const database = await createIsolatedDatabase(serverUrl);
  into.cleanups.push(() => database.drop());
  new AppLogger('Infrastructure').info('created an isolated database', { name: database.name });

  return database.url;
}

async function startRedis(options: InfrastructureOptions, into: Infrastructure): Promise<void> {
  if (options.redisUrl) {
    into.redisUrl = options.redisUrl;
    if (!options.isolate) return;

    const prefix = isolatedRedisPrefix();
    const url = options.redisUrl;
    into.redisPrefix = prefix;
    into.cleanups.push(async () => {
      await deleteRedisPrefix(url, prefix);
    });

    return;
  }
  const binary = findRedisServer(options.searchPath);
  if (!binary) throw new RedisUnavailableException();

  const [port] = await freePorts(1);
  const dir = join(options.dataDir, 'redis');
  await mkdir(dir, { recursive: true });
  const redis = spawnedRedis({
    binary,
    port,
    dir,
    persistent: options.persistent,
    readyTimeoutMs: options.readyTimeoutMs,
    logFile: options.logFile('redis'),
    onLogLine: options.onLogLine,
  });
  into.redisUrl = `redis://127.0.0.1:${port}`;
  into.processes.push(redis);
  await redis.start();
}

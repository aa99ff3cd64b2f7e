import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { loadDevstackConfig } from '../devstack.config';
import { embeddedPostgres, embeddedPostgresUrl } from '../infra/embedded-postgres';
import { assertDatabasePrefix, createIsolatedDatabase } from '../infra/isolated-database';
import { freePorts } from '../net/ports';

/** A database of one test file's own, on the given server or embedded. */
export interface ScratchDatabase {
  /** Where to connect. */
  url: string;
  /**
   * True when it is an embedded PGlite server: one database, up to 32 connections whose
   * queries run one at a time (the others wait while one is inside a transaction).
   */
  embedded: boolean;
  /**
   * The variables a service needs to use it (`DATABASE_URL`). The service's own pool size
   * suits both kinds: PGlite queues the queries of a pool of a few connections, which keeps it
   * busier than a pool of one.
   */
  serviceEnv: Record<string, string>;
  /** Drops the database (ending any session still on it) or stops the embedded server. */
  drop(): Promise<void>;
}

/** Options of {@link createScratchDatabase}. */
export interface ScratchDatabaseOptions {
  /**
   * The PostgreSQL server to create the database on. Default: `DATABASE_URL`, else an embedded
   * PGlite server; `false` asks for the embedded one whatever the environment says.
   */
  serverUrl?: string | false;
}

/** How long an embedded server may take to start (a first start builds the template). */
const EMBEDDED_READY_TIMEOUT_MS = 60_000;

/**
 * A fresh database for a test: with `DATABASE_URL` set (CI), `CREATE DATABASE
 * <label>_<random>` on that server, dropped `WITH (FORCE)` by `drop()`; without it, an
 * embedded PGlite server of its own on a free loopback port (about a second to start from the
 * template cache), stopped and deleted by `drop()`. Either way nothing is shared with a
 * parallel test run, and no test depends on a server at a fixed address.
 *
 * @param label start of the database name, e.g. `xai_kv`: lower-case letters, digits and `_`
 */
export async function createScratchDatabase(
  label: string,
  options: ScratchDatabaseOptions = {},
): Promise<ScratchDatabase> {
  assertDatabasePrefix(label);
  const serverUrl =
    options.serverUrl === false
      ? undefined
      : (options.serverUrl ?? loadDevstackConfig().DATABASE_URL);
  if (!serverUrl) return embeddedScratchDatabase(label);

  const database = await createIsolatedDatabase(serverUrl, label);

  return {
    url: database.url,
    embedded: false,
    serviceEnv: { DATABASE_URL: database.url },
    drop: once(() => database.drop()),
  };
}

async function embeddedScratchDatabase(label: string): Promise<ScratchDatabase> {
  const dir = await mkdtemp(join(tmpdir(), `xai-${label}-`));
  const [port] = await freePorts(1);
  const server = embeddedPostgres({
    service: label,
    dataDir: join(dir, 'pg'),
    port,
    readyTimeoutMs: EMBEDDED_READY_TIMEOUT_MS,
    logLevel: 'warn',
  });
  const remove = async (): Promise<void> => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await server.start();
  } catch (error) {
    await remove();
    throw error;
  }
  const url = embeddedPostgresUrl(port);

  return {
    url,
    embedded: true,
    serviceEnv: { DATABASE_URL: url },
    drop: once(remove),
  };
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;

  return () => (running ??= fn());
}

import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

import { createScratchDatabase, testRedisUrl } from '@xai/devstack';
import { Client } from 'pg';

const REPO_ROOT = join(__dirname, '..', '..', '..');
/** The Redis the tests use. */
export const TEST_REDIS_URL = testRedisUrl();
const BOOT_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port assigned');

  return address.port;
}

/** A database of its own for one test file, dropped afterwards. */
export interface TestDatabase {
  url: string;
  /** `DATABASE_URL` (and a pool size that suits the server) for the service. */
  serviceEnv: Record<string, string>;
  query<R>(sql: string, params?: unknown[]): Promise<R[]>;
  drop(): Promise<void>;
}

/** A scratch database `xai_cfg_<random>` (or an embedded one), with a client to inspect it. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const database = await createScratchDatabase('xai_cfg');
  const client = new Client({ connectionString: database.url });
  await client.connect();

  return {
    url: database.url,
    serviceEnv: database.serviceEnv,
    query: async <R>(sql: string, params: unknown[] = []) =>
      (await client.query(sql, params)).rows as R[],
    drop: async () => {
      await client.end();
      await database.drop();
    },
  };
}

/** A config service running as its own process. */
export interface ConfigProcess {
  grpcUrl: string;
  httpUrl: string;
  /** Everything the process wrote so far, one JSON log line per entry. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts `apps/config/src/main.ts` from sources and waits until it answers on HTTP: `/readyz`
 * when `waitFor` is `ready`, `/healthz` when a dependency is meant to be down.
 */
export async function startConfigProcess(
  env: Record<string, string>,
  waitFor: 'ready' | 'alive' = 'ready',
): Promise<ConfigProcess> {
  const [httpPort, grpcPort] = [await freePort(), await freePort()];
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/config/src/main.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      // These tests call the gRPC API directly; service identity is proven in custody-proof.
      XAI_DEV_ALLOW_ANY_CALLER: 'true',
      HTTP_PORT: String(httpPort),
      GRPC_PORT: String(grpcPort),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const httpUrl = `http://127.0.0.1:${httpPort}`;
  await waitUntilServing(
    child,
    `${httpUrl}/${waitFor === 'ready' ? 'readyz' : 'healthz'}`,
    () => output,
  );

  return {
    grpcUrl: `127.0.0.1:${grpcPort}`,
    httpUrl,
    output: () => output,
    stop: () => stop(child),
  };
}

async function waitUntilServing(child: ChildProcess, url: string, output: () => string) {
  const deadline = Date.now() + BOOT_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`config exited with ${child.exitCode}:\n${output()}`);
    }
    const ok = await fetch(url).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`config did not answer ${url} within ${BOOT_TIMEOUT_MS} ms:\n${output()}`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

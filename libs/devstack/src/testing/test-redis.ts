import { ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { findRedisServer, redisServerArgs, RedisUnavailableException } from '../infra/redis-server';
import { freePorts } from '../net/ports';
import { redisPong } from '../net/probes';
import { waitUntil } from '../process/wait-until';

/*
 * Needs nothing but Node itself (no `@xai/*` import, not even through SupervisedProcess): the
 * jest global setup loads it outside jest's module mapping.
 */

/** A redis-server started for one test run. */
export interface TestRedis {
  /** `redis://127.0.0.1:<port>`. */
  url: string;
  /** Stops the server and removes its working folder. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;
const KEPT_OUTPUT_CHARS = 4_000;

/**
 * Starts a throwaway redis-server (no persistence) on a free loopback port and waits until it
 * answers PING. Fails with {@link RedisUnavailableException} when `searchPath` has none.
 */
export async function startTestRedis(searchPath: string): Promise<TestRedis> {
  const binary = findRedisServer(searchPath);
  if (!binary) throw new RedisUnavailableException();

  const [port] = await freePorts(1);
  const dir = await mkdtemp(join(tmpdir(), 'xai-test-redis-'));
  const args = redisServerArgs({ port, dir, persistent: false });
  const child = spawn(binary, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = keepOutput(child);
  const stop = async (): Promise<void> => {
    await stopChild(child);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitReady(child, port, output);
  } catch (error) {
    await stop();
    throw error;
  }

  return { url: `redis://127.0.0.1:${port}`, stop };
}

function keepOutput(child: ChildProcess): () => string {
  let text = '';
  const keep = (chunk: Buffer): void => {
    text = (text + chunk.toString('utf8')).slice(-KEPT_OUTPUT_CHARS);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  return () => text;
}

async function waitReady(child: ChildProcess, port: number, output: () => string): Promise<void> {
  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError = error));
  await waitUntil(() => redisPong(port), {
    timeoutMs: READY_TIMEOUT_MS,
    intervalMs: 50,
    abortIf: () => {
      if (spawnError) throw new Error(`redis-server could not start: ${spawnError.message}`);
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`redis-server exited before it was ready:\n${output()}`);
      }
    },
    timeoutError: () =>
      new Error(`redis-server did not answer within ${READY_TIMEOUT_MS} ms:\n${output()}`),
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;

  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

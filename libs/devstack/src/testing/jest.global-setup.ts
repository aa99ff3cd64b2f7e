import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { installOrphanReaper } from '../process/orphan-reaper';
import { startTestRedis } from './test-redis';
import { currentTestRun, setCurrentTestRun, TestRun } from './test-run';

/** Long enough for the workers to stop their own children first (they get 5 s). */
const MAIN_PROCESS_GRACE_MS = 8_000;

/**
 * Jest global setup: gives the whole run a Redis and a temporary folder. With `REDIS_URL` set
 * (CI) the tests use that server; otherwise one redis-server is started on a free loopback
 * port and `REDIS_URL` points at it. `TMPDIR` points at a folder of the run's own, so whatever
 * the tests leave there (the data of an embedded database stopped by an interrupted run) goes
 * with it. The workers inherit both variables: jest starts them after this hook. An
 * interrupted run stops every server its tests started and deletes the folder.
 *
 * This hook runs outside jest's module mapping, so it reads the environment itself instead of
 * through `loadConfig` from `@xai/common`, which would not resolve here.
 */
export default async function globalSetup(): Promise<void> {
  const run: TestRun = {
    dir: await mkdtemp(join(tmpdir(), 'xai-test-run-')),
    previousTmpdir: process.env.TMPDIR,
  };
  setCurrentTestRun(run);
  installOrphanReaper({ graceMs: MAIN_PROCESS_GRACE_MS, onEnd: removeRunFolder });
  process.env.TMPDIR = run.dir;
  if (process.env.REDIS_URL) return;

  run.redis = await startTestRedis(process.env.PATH ?? '');
  process.env.REDIS_URL = run.redis.url;
}

function removeRunFolder(): void {
  const run = currentTestRun();
  if (run) rmSync(run.dir, { recursive: true, force: true });
}

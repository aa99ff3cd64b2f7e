import { rm } from 'node:fs/promises';

import { currentTestRun, setCurrentTestRun } from './test-run';

/**
 * Jest global teardown: stops the redis-server the global setup started, if it started one,
 * and deletes the run's temporary folder. The variables it set are restored, so that in watch
 * mode the next run starts afresh.
 */
export default async function globalTeardown(): Promise<void> {
  const run = currentTestRun();
  if (!run) return;

  if (run.previousTmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = run.previousTmpdir;
  if (run.redis) {
    delete process.env.REDIS_URL;
    await run.redis.stop();
  }
  await rm(run.dir, { recursive: true, force: true });
  // Forgotten only now: an interrupted run may end this process half-way through the teardown,
  // and the orphan reaper then still knows which folder to delete.
  setCurrentTestRun(undefined);
}

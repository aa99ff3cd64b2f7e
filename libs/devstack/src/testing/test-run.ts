import type { TestRedis } from './test-redis';

/** What the jest global setup started for one run; the global teardown undoes it. */
export interface TestRun {
  /** The run's temporary folder: `TMPDIR` of the workers and of everything they start. */
  dir: string;
  /** `TMPDIR` before the run, restored afterwards. */
  previousTmpdir?: string;
  /** The redis-server started for the run, when `REDIS_URL` was not given. */
  redis?: TestRedis;
}

/** Both hooks run in jest's main process, but jest loads each one on its own. */
const SLOT = Symbol.for('xai.devstack.test-run');

type Slots = Record<symbol, TestRun | undefined>;

/** The current run, if the global setup started one. */
export function currentTestRun(): TestRun | undefined {
  return (globalThis as Slots)[SLOT];
}

/** Records the run the global setup started, or forgets it (`undefined`). */
export function setCurrentTestRun(run: TestRun | undefined): void {
  (globalThis as Slots)[SLOT] = run;
}

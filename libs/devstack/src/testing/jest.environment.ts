import type { EnvironmentContext, JestEnvironmentConfig } from '@jest/environment';
import NodeEnvironment from 'jest-environment-node';

import { installOrphanReaper } from '../process/orphan-reaper';

/** Less than the main process waits for the workers, so a worker finishes its own clean-up. */
const WORKER_GRACE_MS = 5_000;

/**
 * Jest's node environment, plus a guard in each worker: when the worker is interrupted (Ctrl-C,
 * SIGTERM from jest's main process) or its main process dies, the services, PGlite servers and
 * redis-servers its tests started are stopped instead of being left running. It has to be set
 * up here: the environment runs in the worker's real process, whereas a test's `process` is a
 * copy that never receives signals.
 */
export default class XaiTestEnvironment extends NodeEnvironment {
  constructor(config: JestEnvironmentConfig, context: EnvironmentContext) {
    super(config, context);
    installOrphanReaper({ graceMs: WORKER_GRACE_MS });
  }
}

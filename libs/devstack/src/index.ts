export { startStack } from './stack/start-stack';
export {
  DATABASE_SERVICES,
  SERVICE_NAMES,
  type DatabaseServiceName,
  type RunningService,
  type RunningStack,
  type ServiceName,
  type StartStackOptions,
} from './stack/stack.types';
export { NotBuiltException } from './stack/workspace';
export { RedisUnavailableException } from './infra/redis';
export { PortInUseException, freePorts } from './net/ports';
export {
  ProcessExitedException,
  ProcessNotReadyException,
  ProcessStoppedException,
} from './process/process-exit';
export { type ProcessState } from './process/supervised-process';
export { UnknownProcessException } from './stack/local-stack';
export {
  createScratchDatabase,
  type ScratchDatabase,
  type ScratchDatabaseOptions,
} from './testing/scratch-database';
export { testRedisUrl } from './testing/test-redis-url';

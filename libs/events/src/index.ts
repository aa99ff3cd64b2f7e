export * from './audit-event';
export * from './audit-stream-event';
export * from './config-change-event';
export { DEAD_LETTER_FIELDS } from './consumer-group';
export * from './key-health-event';
export * from './key-use-event';
export * from './management-change-event';
export * from './redis-client';
export { defaultSpoolDir } from './spool/default-spool-dir';
export { DiskSpool, type DiskSpoolOptions } from './spool/disk-spool';
export { SpoolLockedException } from './spool/spool-lock';
export {
  SpooledStreamPublisher,
  type SpooledStreamPublisherOptions,
  type SpoolStats,
} from './spool/spooled-stream-publisher';
export type { EventSchema } from './stream-entry';
export * from './stream-consumer';
export type { StreamConsumerOptions } from './stream-consumer-options';
export type { StreamLogger } from './stream-logger';
export * from './stream-names';
export * from './stream-publisher';
export * from './stream-tail';
export * from './unrecordable-event';

export * from './audit-event';
export * from './config-change-event';
export * from './redis-client';
export * from './stream-names';
export * from './stream-publisher';

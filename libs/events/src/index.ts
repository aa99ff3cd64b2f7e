export * from './audit-event';
export * from './config-change-event';
export * from './stream-names';

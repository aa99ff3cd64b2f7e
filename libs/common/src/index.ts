export * from './data-source';
export * from './domain.exception';
export * from './health.module';
export * from './load-config';
export * from './logger';
export * from './readiness';
export * from './request-context';
export * from './start-service';

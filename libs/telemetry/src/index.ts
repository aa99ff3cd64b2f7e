// This entry point is imported before anything else by each app's tracing preload, so it must
// not load the modules tracing instruments (http servers, gRPC, Redis, PostgreSQL clients).
export * from './attribute-cache';
export * from './bounded-values';
export * from './metric-capture';
export * from './metric-series';
export * from './metrics-env';
export * from './service-meter';
export * from './telemetry.module';
export * from './trace-context';
export * from './tracing';
export * from './tracing-settings';

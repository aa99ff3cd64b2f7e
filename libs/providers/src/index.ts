export * from './provider-type';
export * from './providers-error-code';
export * from './scrub-secrets';
export * from './sse/sse-parser';
export * from './ssrf/address-classifier';
export * from './ssrf/upstream-guard';
export * from './upstream-url';
export * from './usage/openai-usage';

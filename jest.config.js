/**
 * One jest configuration for the whole workspace. Sources are compiled with SWC (decorator
 * metadata on, as NestJS needs it); `@xai/*` imports resolve to each lib's entry point.
 */
const swcOptions = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

// The hooks give a run without REDIS_URL its own redis-server, and make an interrupted run stop
// every server its tests started (see libs/devstack/src/testing).
const testing = '<rootDir>/libs/devstack/src/testing';

module.exports = {
  testEnvironment: `${testing}/jest.environment.ts`,
  globalSetup: `${testing}/jest.global-setup.ts`,
  globalTeardown: `${testing}/jest.global-teardown.ts`,
  roots: ['<rootDir>/apps', '<rootDir>/libs'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', swcOptions] },
  moduleNameMapper: { '^@xai/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts' },
  setupFiles: ['reflect-metadata'],
  testTimeout: 60000,
};

import { inheritedEnv, serviceEnv, ServiceEnvInputs } from './service-env';

const inputs: ServiceEnvInputs = {
  service: 'config',
  httpPort: 8081,
  grpcPort: 50051,
  grpcUrls: { config: '127.0.0.1:50051', keyVault: '127.0.0.1:50052', auditLog: '127.0.0.1:50053' },
  databaseUrl: 'postgres://postgres@127.0.0.1:6001/postgres',
  embeddedDatabase: true,
  redisUrl: 'redis://127.0.0.1:6380',
  redisPrefix: 'xai:',
  kek: 'a-kek',
  pepper: 'a-pepper',
  serviceToken: 'a-service-token',
  ownerKey: 'an-owner-key',
  logLevel: 'debug',
};

describe('serviceEnv', () => {
  it('gives a database service its ports, database, Redis, service token and a single connection when embedded', () => {
    const env = serviceEnv({}, inputs);

    expect(env).toEqual({
      LOG_LEVEL: 'debug',
      HOST: '127.0.0.1',
      HTTP_PORT: '8081',
      GRPC_PORT: '50051',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:6001/postgres',
      DATABASE_POOL_MAX: '1',
      REDIS_URL: 'redis://127.0.0.1:6380',
      XAI_REDIS_PREFIX: 'xai:',
      XAI_SERVICE_TOKEN_GATEWAY: 'a-service-token',
    });
  });

  it('leaves the pool size alone on a real PostgreSQL', () => {
    const env = serviceEnv({}, { ...inputs, embeddedDatabase: false });

    expect(env.DATABASE_POOL_MAX).toBeUndefined();
  });

  it('gives the KEK to key-vault only', () => {
    const services = ['config', 'key-vault', 'audit-log', 'gateway', 'mock-provider'] as const;

    const holders = services.filter((service) => serviceEnv({}, { ...inputs, service }).XAI_KEK);

    expect(holders).toEqual(['key-vault']);
  });

  it('gives the service token to the gateway and the gRPC servers it calls, not the mock', () => {
    const services = ['config', 'key-vault', 'audit-log', 'gateway', 'mock-provider'] as const;

    const holders = services.filter(
      (service) => serviceEnv({}, { ...inputs, service }).XAI_SERVICE_TOKEN_GATEWAY,
    );

    expect(holders).toEqual(['config', 'key-vault', 'audit-log', 'gateway']);
  });

  it('gives the gateway the gRPC addresses, the pepper, the owner key and private upstreams', () => {
    const env = serviceEnv(
      {},
      { ...inputs, service: 'gateway', grpcPort: undefined, httpPort: 8080 },
    );

    expect(env).toMatchObject({
      HTTP_PORT: '8080',
      XAI_CONFIG_URL: '127.0.0.1:50051',
      XAI_KEY_VAULT_URL: '127.0.0.1:50052',
      XAI_AUDIT_LOG_URL: '127.0.0.1:50053',
      XAI_VIRTUAL_KEY_PEPPER: 'a-pepper',
      XAI_BOOTSTRAP_OWNER_KEY: 'an-owner-key',
      XAI_ALLOW_PRIVATE_UPSTREAMS: 'true',
    });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.GRPC_PORT).toBeUndefined();
  });

  it('gives the mock provider only its listener settings', () => {
    const env = serviceEnv({}, { ...inputs, service: 'mock-provider', httpPort: 9090 });

    expect(env).toEqual({ LOG_LEVEL: 'debug', HOST: '127.0.0.1', HTTP_PORT: '9090' });
  });

  it('keeps unrelated inherited variables and lets overrides win', () => {
    const env = serviceEnv(
      { PATH: '/usr/bin', XAI_AUTH_CACHE_TTL_SECONDS: '5' },
      { ...inputs, overrides: { LOG_LEVEL: 'warn' } },
    );

    expect(env).toMatchObject({
      PATH: '/usr/bin',
      XAI_AUTH_CACHE_TTL_SECONDS: '5',
      LOG_LEVEL: 'warn',
    });
  });
});

describe('inheritedEnv', () => {
  it('drops secrets and settings exported in the launcher shell', () => {
    const env = inheritedEnv({
      HOME: '/root',
      XAI_KEK: 'shell-kek',
      XAI_VIRTUAL_KEY_PEPPER: 'shell-pepper',
      DATABASE_URL: 'postgres://elsewhere',
    });

    expect(env).toEqual({ HOME: '/root' });
  });
});

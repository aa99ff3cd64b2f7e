import { ConfigValidationException } from '@xai/common';

import { loadAuditLogConfig } from './audit-log.config';

describe('loadAuditLogConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadAuditLogConfig({ DATABASE_URL: 'postgres://localhost/audit' });

    expect(config).toMatchObject({
      HOST: '127.0.0.1',
      HTTP_PORT: 8083,
      GRPC_PORT: 50053,
      DATABASE_POOL_MAX: 10,
      DATABASE_RUN_MIGRATIONS: true,
      REDIS_URL: 'redis://127.0.0.1:6379',
      XAI_REDIS_PREFIX: 'xai:',
      AUDIT_RECLAIM_IDLE_MS: 30_000,
      AUDIT_BATCH_SIZE: 500,
      AUDIT_GATHER_MS: 100,
    });
    expect(config.AUDIT_CONSUMER_NAME).toMatch(new RegExp(`-${process.pid}$`));
  });

  it('requires DATABASE_URL and names it', () => {
    const load = (): unknown => loadAuditLogConfig({});

    expect(load).toThrow(ConfigValidationException);
    expect(load).toThrow(/DATABASE_URL/);
  });

  it('refuses a reclaim idle time too short to tell a slow consumer from a dead one', () => {
    const load = (): unknown =>
      loadAuditLogConfig({ DATABASE_URL: 'postgres://x/y', AUDIT_RECLAIM_IDLE_MS: '5' });

    expect(load).toThrow(/AUDIT_RECLAIM_IDLE_MS/);
  });

  it.each(['0', '-1', '1.5', '5001', 'many'])('refuses AUDIT_BATCH_SIZE=%s, naming it', (value) => {
    const load = (): unknown =>
      loadAuditLogConfig({ DATABASE_URL: 'postgres://x/y', AUDIT_BATCH_SIZE: value });

    expect(load).toThrow(/AUDIT_BATCH_SIZE/);
  });

  it.each(['AUDIT_RECLAIM_IDLE_MS', 'AUDIT_ROLLUP_INTERVAL_MS', 'AUDIT_RETENTION_INTERVAL_MS'])(
    'refuses an %s longer than a timer can wait, naming it',
    (name) => {
      const load = (): unknown =>
        loadAuditLogConfig({ DATABASE_URL: 'postgres://x/y', [name]: String(2 ** 31) });

      expect(load).toThrow(new RegExp(`${name} `));
    },
  );

  it.each(['0', '-1'])('refuses a pool of %s connections, naming DATABASE_POOL_MAX', (size) => {
    const load = (): unknown =>
      loadAuditLogConfig({ DATABASE_URL: 'postgres://x/y', DATABASE_POOL_MAX: size });

    expect(load).toThrow(/DATABASE_POOL_MAX/);
  });

  it.each(['36501', '1e300', '0x10'])('refuses AUDIT_RETENTION_DAYS=%s, naming it', (days) => {
    const load = (): unknown =>
      loadAuditLogConfig({ DATABASE_URL: 'postgres://x/y', AUDIT_RETENTION_DAYS: days });

    expect(load).toThrow(/AUDIT_RETENTION_DAYS/);
  });
});

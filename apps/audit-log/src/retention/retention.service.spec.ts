import { openServiceDatabase } from '@xai/common';
import { createScratchDatabase, ScratchDatabase } from '@xai/devstack';
import { DataSource } from 'typeorm';

import { auditEvent } from '../../test/audit-events';
import { ChainAppender } from '../chain/chain-appender';
import { ChainVerifier } from '../chain/chain-verifier';
import { AUDIT_LOG_SCHEMA } from '../database/audit-log-schema';
import { AUDIT_LOG_ENTITIES, AUDIT_LOG_MIGRATIONS } from '../database/database.module';
import { toRequestEventRow } from '../request-events/request-event.row';
import { UsageRollup } from '../usage/usage-rollup.service';
import { RetentionService } from './retention.service';

const DAY_MS = 86_400_000;

// Against a real PostgreSQL, in a database of its own, migrated as at boot.
describe(RetentionService.name, () => {
  let database: ScratchDatabase;
  let dataSource: DataSource;
  let appender: ChainAppender;
  let verifier: ChainVerifier;
  let rollup: UsageRollup;
  let retention: RetentionService;

  const append = async (tenantId: string, count: number): Promise<void> => {
    for (let index = 0; index < count; index++) {
      await appender.append({ kind: 'request', row: toRequestEventRow(auditEvent({ tenantId })) });
    }
  };

  const stored = async (tenantId: string): Promise<number[]> => {
    const rows = await dataSource.query<{ chain_seq: string }[]>(
      `SELECT "chain_seq" FROM "${AUDIT_LOG_SCHEMA}"."request_events" WHERE "tenant_id" = $1
       ORDER BY "chain_seq"`,
      [tenantId],
    );

    return rows.map((row) => Number(row.chain_seq));
  };

  beforeAll(async () => {
    database = await createScratchDatabase('xai_audit');
    dataSource = await openServiceDatabase({
      url: database.url,
      schema: AUDIT_LOG_SCHEMA,
      entities: AUDIT_LOG_ENTITIES,
      migrations: AUDIT_LOG_MIGRATIONS,
      poolMax: 2,
    });
    appender = new ChainAppender(dataSource);
    verifier = new ChainVerifier(dataSource);
    rollup = new UsageRollup(dataSource);
    retention = new RetentionService(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('keeps entries that are not yet rolled up, then removes the old prefix with a checkpoint', async () => {
    const tenantId = 'tenant-retention';
    await append(tenantId, 5);
    const later = new Date(Date.now() + 2 * DAY_MS);

    const beforeRollup = await retention.run(1, later);
    await rollup.run();
    const afterRollup = await retention.run(1, later);
    await append(tenantId, 2);
    const verdict = await verifier.verify(tenantId);

    expect(beforeRollup.deleted).toBe(0);
    expect(afterRollup).toEqual({ tenants: 1, deleted: 5 });
    expect(await stored(tenantId)).toEqual([6, 7]);
    expect(verdict).toMatchObject({ ok: true, entriesChecked: 2, heads: [{ seq: 7 }] });
  });

  it('keeps everything recorded within the period, and everything when the period is 0', async () => {
    const tenantId = 'tenant-young';
    await append(tenantId, 3);
    await rollup.run();

    const young = await retention.run(30);
    const forever = await retention.run(0, new Date(Date.now() + 365 * DAY_MS));

    expect([young.deleted, forever.deleted]).toEqual([0, 0]);
    expect(await stored(tenantId)).toEqual([1, 2, 3]);
  });

  it('still catches an entry removed after the checkpoint', async () => {
    const tenantId = 'tenant-retained-gap';
    await append(tenantId, 3);
    await rollup.run();
    await retention.run(1, new Date(Date.now() + 2 * DAY_MS));
    await append(tenantId, 3);
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    await runner.query('BEGIN');
    await runner.query('SET LOCAL session_replication_role = replica');
    await runner.query(
      `DELETE FROM "${AUDIT_LOG_SCHEMA}"."request_events" WHERE "tenant_id" = $1 AND "chain_seq" = 4`,
      [tenantId],
    );
    await runner.query('COMMIT');
    await runner.release();

    const verdict = await verifier.verify(tenantId);

    expect(verdict.firstBroken).toMatchObject({ seq: 4, reason: 'missing_entry' });
  });

  it('refuses a DELETE without the maintenance setting, even by the login user', async () => {
    const tenantId = 'tenant-no-maintenance';
    await append(tenantId, 1);

    const removal = dataSource.query(
      `DELETE FROM "${AUDIT_LOG_SCHEMA}"."request_events" WHERE "tenant_id" = $1`,
      [tenantId],
    );

    await expect(removal).rejects.toThrow(/append-only/);
  });
});

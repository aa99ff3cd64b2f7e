import { openServiceDatabase } from '@xai/common';
import { DataSource } from 'typeorm';

import { auditEvent } from '../../test/audit-events';
import { createTestDatabase, TestDatabase } from '../../test/test-database';
import { AUDIT_LOG_SCHEMA } from '../database/audit-log-schema';
import { AUDIT_LOG_ENTITIES, AUDIT_LOG_MIGRATIONS } from '../database/database.module';
import { toRequestEventRow } from './request-event.row';
import { RequestEventsRepository } from './request-events.repository';

// Against a real PostgreSQL, in a database of its own, migrated as at boot.
describe(RequestEventsRepository.name, () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let repository: RequestEventsRepository;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openServiceDatabase({
      url: database.url,
      schema: AUDIT_LOG_SCHEMA,
      entities: AUDIT_LOG_ENTITIES,
      migrations: AUDIT_LOG_MIGRATIONS,
      poolMax: 2,
    });
    repository = new RequestEventsRepository(dataSource);
  });

  beforeEach(async () => {
    await dataSource.query(`DELETE FROM "${AUDIT_LOG_SCHEMA}"."request_events"`);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('stores an event once, however often it is inserted', async () => {
    const row = toRequestEventRow(auditEvent());

    const first = await repository.insertIfNew(row);
    const second = await repository.insertIfNew({ ...row, status: 500 });

    expect([first, second]).toEqual([true, false]);
    const stored = await repository.findPage({ tenantId: row.tenantId, limit: 10 });
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ ...row, recordedAt: expect.any(Date) });
  });

  it('pages a tenant newest first, breaking ties in time by event id', async () => {
    const sameInstant = '2025-03-01T10:00:00.000Z';
    const events = [
      auditEvent({ occurredAt: '2025-03-01T09:00:00.000Z' }),
      auditEvent({ occurredAt: sameInstant }),
      auditEvent({ occurredAt: sameInstant }),
      auditEvent({ occurredAt: sameInstant }),
      auditEvent({ occurredAt: '2025-03-01T11:00:00.000Z' }),
      auditEvent({ tenantId: 'tenant-b' }),
    ];
    for (const event of events) await repository.insertIfNew(toRequestEventRow(event));
    const tied = events
      .slice(1, 4)
      .map((event) => event.eventId)
      .sort()
      .reverse();

    const pages: string[][] = [];
    let after;
    do {
      const page = await repository.findPage({ tenantId: 'tenant-a', limit: 2, after });
      pages.push(page.map((row) => row.eventId));
      after = page.length === 2 ? page[1] : undefined;
    } while (after);

    expect(pages.flat()).toEqual([events[4].eventId, ...tied, events[0].eventId]);
  });

  it('filters by request id within the tenant only', async () => {
    const mine = auditEvent({ requestId: 'req_shared' });
    const theirs = auditEvent({ requestId: 'req_shared', tenantId: 'tenant-b' });
    await repository.insertIfNew(toRequestEventRow(mine));
    await repository.insertIfNew(toRequestEventRow(theirs));
    await repository.insertIfNew(toRequestEventRow(auditEvent()));

    const found = await repository.findPage({
      tenantId: 'tenant-a',
      requestId: 'req_shared',
      limit: 10,
    });

    expect(found.map((row) => row.eventId)).toEqual([mine.eventId]);
  });
});

import { randomUUID } from 'node:crypto';

import { openServiceDatabase } from '@xai/common';
import { createScratchDatabase, ScratchDatabase } from '@xai/devstack';
import { KeyHealthEvent } from '@xai/events';
import { DataSource } from 'typeorm';

import { CONFIG_SCHEMA } from '../database/config-schema';
import { CONFIG_ENTITIES, CONFIG_MIGRATIONS } from '../database/database.module';
import { KeyHealthEventsRepository } from './key-health-events.repository';

describe(KeyHealthEventsRepository.name, () => {
  let database: ScratchDatabase;
  let dataSource: DataSource;
  let repository: KeyHealthEventsRepository;
  let tenantId: string;

  const event = (fields: Partial<KeyHealthEvent> = {}): KeyHealthEvent => ({
    eventId: randomUUID(),
    tenantId,
    providerKeyId: randomUUID(),
    from: 'active',
    to: 'sleeping',
    reason: 'rate_limited',
    detail: 'HTTP 429',
    until: '2026-01-01T00:00:30.000Z',
    occurredAt: '2026-01-01T00:00:00.000Z',
    ...fields,
  });

  beforeAll(async () => {
    database = await createScratchDatabase('xai_cfg_kh');
    dataSource = await openServiceDatabase({
      url: database.url,
      schema: CONFIG_SCHEMA,
      entities: CONFIG_ENTITIES,
      migrations: CONFIG_MIGRATIONS,
      poolMax: 2,
      runMigrations: true,
    });
    repository = new KeyHealthEventsRepository(dataSource);
  });

  beforeEach(async () => {
    tenantId = randomUUID();
    await dataSource.query(
      `INSERT INTO "${CONFIG_SCHEMA}"."tenants" ("id", "name") VALUES ($1, 'kh')`,
      [tenantId],
    );
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('stores a transition once, however often it is delivered', async () => {
    const sleeping = event();

    const outcomes = [await repository.record(sleeping), await repository.record(sleeping)];

    expect(outcomes).toEqual(['recorded', 'duplicate']);
    const rows = await repository.listByKey(tenantId, sleeping.providerKeyId);
    expect(rows).toEqual([
      expect.objectContaining({
        eventId: sleeping.eventId,
        fromState: 'active',
        toState: 'sleeping',
        reason: 'rate_limited',
        detail: 'HTTP 429',
        until: new Date('2026-01-01T00:00:30.000Z'),
      }),
    ]);
  });

  it('keeps a key history in the order it happened', async () => {
    const providerKeyId = randomUUID();
    const later = event({
      providerKeyId,
      from: 'sleeping',
      to: 'active',
      reason: 'recovered',
      detail: null,
      until: null,
      occurredAt: '2026-01-01T00:00:31.000Z',
    });
    await repository.record(later);
    await repository.record(event({ providerKeyId }));

    const rows = await repository.listByKey(tenantId, providerKeyId);

    expect(rows.map((row) => row.reason)).toEqual(['rate_limited', 'recovered']);
  });

  it('drops the event of a tenant that no longer exists', async () => {
    const orphan = event({ tenantId: randomUUID() });

    const outcome = await repository.record(orphan);

    expect(outcome).toBe('tenant_gone');
  });
});

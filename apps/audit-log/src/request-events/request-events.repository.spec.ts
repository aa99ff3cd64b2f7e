import type { RequestAuditEvent } from '@xai/events';
import { DataSource } from 'typeorm';

import { auditEvent } from '../../test/audit-events';
import { openScratchTrail, ScratchTrail } from '../../test/scratch-trail';
import { ChainAppender } from '../chain/chain-appender';
import { toRequestEventRow } from './request-event.row';
import { RequestEventsRepository } from './request-events.repository';

// Against a real PostgreSQL, in a database of its own, migrated as at boot.
describe(RequestEventsRepository.name, () => {
  let trail: ScratchTrail;
  let dataSource: DataSource;
  let repository: RequestEventsRepository;
  let appender: ChainAppender;
  let tenant = 0;

  const store = (event: RequestAuditEvent): Promise<boolean> =>
    appender.append({ kind: 'request', row: toRequestEventRow(event) });

  beforeAll(async () => {
    trail = await openScratchTrail();
    dataSource = trail.dataSource;
    repository = new RequestEventsRepository(dataSource);
    appender = new ChainAppender(dataSource);
  });

  // The trail is append-only, so each test works in a tenant of its own.
  const nextTenant = (): string => `tenant-${++tenant}`;

  afterAll(async () => {
    await trail?.close();
  });

  it('stores an event once, however often it is appended', async () => {
    const tenantId = nextTenant();
    const event = auditEvent({ tenantId });

    const first = await store(event);
    const second = await store({ ...event, status: 500 });

    expect([first, second]).toEqual([true, false]);
    const stored = await repository.findPage({ tenantId, limit: 10 });
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ status: 200, chainSeq: '1' });
  });

  it('pages a tenant newest first, breaking ties in time by event id', async () => {
    const tenantId = nextTenant();
    const sameInstant = '2025-03-01T10:00:00.000Z';
    const events = [
      auditEvent({ tenantId, occurredAt: '2025-03-01T09:00:00.000Z' }),
      auditEvent({ tenantId, occurredAt: sameInstant }),
      auditEvent({ tenantId, occurredAt: sameInstant }),
      auditEvent({ tenantId, occurredAt: sameInstant }),
      auditEvent({ tenantId, occurredAt: '2025-03-01T11:00:00.000Z' }),
      auditEvent({ tenantId: nextTenant() }),
    ];
    for (const event of events) await store(event);
    const tied = events
      .slice(1, 4)
      .map((event) => event.eventId)
      .sort()
      .reverse();

    const pages: string[][] = [];
    let after;
    do {
      const page = await repository.findPage({ tenantId, limit: 2, after });
      pages.push(page.map((row) => row.eventId));
      after = page.length === 2 ? page[1] : undefined;
    } while (after);

    expect(pages.flat()).toEqual([events[4].eventId, ...tied, events[0].eventId]);
  });

  it('filters by request id within the tenant only', async () => {
    const tenantId = nextTenant();
    const mine = auditEvent({ tenantId, requestId: 'req_shared' });
    const theirs = auditEvent({ requestId: 'req_shared', tenantId: nextTenant() });
    await store(mine);
    await store(theirs);
    await store(auditEvent({ tenantId }));

    const found = await repository.findPage({ tenantId, requestId: 'req_shared', limit: 10 });

    expect(found.map((row) => row.eventId)).toEqual([mine.eventId]);
  });

  it('applies time, key, model and status filters together', async () => {
    const tenantId = nextTenant();
    const match = auditEvent({
      tenantId,
      occurredAt: '2025-04-01T12:00:00.000Z',
      virtualKeyId: 'vk-x',
      providerKeyId: 'pk-x',
      upstreamModel: 'gpt-4o-mini',
      status: 429,
    });
    const others = [
      { ...match, occurredAt: '2025-04-02T12:00:00.000Z' },
      { ...match, virtualKeyId: 'vk-y' },
      { ...match, providerKeyId: 'pk-y' },
      { ...match, upstreamModel: 'gpt-4o', requestedModel: 'gpt-4o' },
      { ...match, status: 200 },
    ].map((event) => auditEvent(event));
    for (const event of [match, ...others]) await store(event);

    const found = await repository.findPage({
      tenantId,
      from: new Date('2025-04-01T00:00:00Z'),
      to: new Date('2025-04-02T00:00:00Z'),
      virtualKeyId: 'vk-x',
      providerKeyId: 'pk-x',
      model: 'gpt-4o-mini',
      statusClass: 4,
      limit: 10,
    });

    expect(found.map((row) => row.eventId)).toEqual([match.eventId]);
  });
});

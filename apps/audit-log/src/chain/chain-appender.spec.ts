import { randomUUID } from 'node:crypto';

import { DataSource } from 'typeorm';

import { auditEvent } from '../../test/audit-events';
import { openScratchTrail, ScratchTrail } from '../../test/scratch-trail';
import { AUDIT_LOG_SCHEMA } from '../database/audit-log-schema';
import { toRequestEventRow } from '../request-events/request-event.row';
import { ChainAppender } from './chain-appender';
import { BulkLoad, bulkLoadOf } from './trail-load';
import { ChainVerifier } from './chain-verifier';
import type { TrailRow } from './trail-entries';

const S = `"${AUDIT_LOG_SCHEMA}"`;

// Against a real PostgreSQL, in a database of its own, migrated as at boot.
describe('bulkLoadOf', () => {
  it('loads by COPY into PostgreSQL, and by JSON into PGlite, which cannot take COPY', () => {
    expect(bulkLoadOf('PostgreSQL 15.19 (Debian 15.19-0+deb12u1) on x86_64-pc-linux-gnu')).toBe(
      'copy',
    );
    expect(bulkLoadOf('PostgreSQL 18.6 (PGlite 0.5.14) on wasm32-unknown-emscripten')).toBe('json');
  });
});

// Both loads, against PostgreSQL: the JSON one is what the embedded PGlite is given.
describe.each<BulkLoad>(['copy', 'json'])(`${ChainAppender.name}, loading by %s`, (load) => {
  let trail: ScratchTrail;
  let dataSource: DataSource;
  let appender: ChainAppender;
  let verifier: ChainVerifier;
  let tenant = 0;

  beforeAll(async () => {
    trail = await openScratchTrail(4);
    dataSource = trail.dataSource;
    appender = new ChainAppender(dataSource, load);
    verifier = new ChainVerifier(dataSource);
  });

  afterAll(async () => {
    await trail?.close();
  });

  // The trail is append-only, so each test works in tenants of its own.
  const nextTenant = (): string => `appender-${++tenant}`;

  const request = (tenantId: string, status = 200): TrailRow => ({
    kind: 'request',
    row: toRequestEventRow(auditEvent({ tenantId, status })),
  });

  const keyUse = (tenantId: string): TrailRow => ({
    kind: 'key_use',
    row: {
      eventId: randomUUID(),
      tenantId,
      providerKeyId: 'pk-1',
      operation: 'decrypt',
      requestId: null,
      slotId: null,
      outcome: 'ok',
      occurredAt: new Date(),
    },
  });

  const management = (tenantId: string): TrailRow => ({
    kind: 'management_change',
    row: {
      eventId: randomUUID(),
      tenantId,
      requestId: 'req-m',
      actorVirtualKeyId: 'vk-1',
      actorMemberId: null,
      resource: 'provider_key',
      resourceId: 'pk-1',
      action: 'create',
      before: null,
      after: { name: 'a "quoted" \\ name', level: 1 },
      occurredAt: new Date(),
    },
  });

  const positions = async (tenantId: string): Promise<string[]> => {
    const rows = await dataSource.query<{ kind: string; event_id: string }[]>(
      `SELECT 'request' AS "kind", "event_id", "chain_seq" FROM ${S}."request_events"
         WHERE "tenant_id" = $1
       UNION ALL SELECT 'key_use', "event_id", "chain_seq" FROM ${S}."key_use_events"
         WHERE "tenant_id" = $1
       UNION ALL SELECT 'management_change', "event_id", "chain_seq" FROM ${S}."management_events"
         WHERE "tenant_id" = $1
       ORDER BY "chain_seq"`,
      [tenantId],
    );

    return rows.map((row) => `${row.kind}:${row.event_id}`);
  };
  const keyOf = (entry: TrailRow): string => `${entry.kind}:${entry.row.eventId}`;

  it('appends a batch of every kind for several tenants, in order, as one chain each', async () => {
    const [a, b] = [nextTenant(), nextTenant()];
    const batch = [request(a), keyUse(b), management(a), request(b, 503), keyUse(a), request(a)];

    expect(await appender.appendMany(batch)).toBe(6);

    expect(await positions(a)).toEqual([batch[0], batch[2], batch[4], batch[5]].map(keyOf));
    expect(await positions(b)).toEqual([batch[1], batch[3]].map(keyOf));
    for (const tenantId of [a, b]) {
      const verdict = await verifier.verify(tenantId, { full: true });
      expect(verdict).toMatchObject({ ok: true, firstBroken: null });
    }
    const pending = await dataSource.query<{ event_id: string }[]>(
      `SELECT "event_id" FROM ${S}."rollup_pending" WHERE "event_id" = ANY($1::uuid[])`,
      [batch.map((entry) => entry.row.eventId)],
    );
    expect(pending.map((row) => row.event_id).sort()).toEqual(
      [batch[0], batch[3], batch[5]].map((entry) => entry.row.eventId).sort(),
    );
    const [stored] = await dataSource.query<{ after: unknown }[]>(
      `SELECT "after" FROM ${S}."management_events" WHERE "event_id" = $1`,
      [batch[2].row.eventId],
    );
    expect(stored.after).toEqual({ name: 'a "quoted" \\ name', level: 1 });
  });

  it('stores every value as sent, and the chain verifies', async () => {
    const tenantId = nextTenant();
    const odd = request(tenantId);
    Object.assign(odd.row, {
      // Text columns: control characters, quotes, backslashes, COPY's own markers, non-BMP.
      requestedModel: 'm\u0001"\\\n\r\t😀\\.',
      errorClass: '\\N',
      // A lone surrogate is stored as U+FFFD, as UTF-8 text always stored it (and hashed it).
      upstreamModel: 'lone\ud800high and \udc00low',
      errorCode: '',
      ttftMs: null,
      costUsd: '0.000000000001',
    });
    const scalar = management(tenantId);
    Object.assign(scalar.row, { before: 'a JSON string', after: [1, 'two', null, { 'k"ey': [] }] });

    expect(await appender.appendMany([odd, scalar])).toBe(2);

    const [row] = await dataSource.query<Record<string, unknown>[]>(
      `SELECT "requested_model", "upstream_model", "error_code", "error_class", "ttft_ms",
         "cost_usd"::text
         AS "cost_usd", "attempts_detail", "occurred_at"
       FROM ${S}."request_events" WHERE "event_id" = $1`,
      [odd.row.eventId],
    );
    expect(row).toEqual({
      requested_model: 'm\u0001"\\\n\r\t😀\\.',
      upstream_model: 'lone\ufffdhigh and \ufffdlow',
      error_code: '',
      error_class: '\\N',
      ttft_ms: null,
      cost_usd: '0.000000000001',
      attempts_detail: odd.kind === 'request' ? odd.row.attemptsDetail : null,
      occurred_at: odd.row.occurredAt,
    });
    const [change] = await dataSource.query<{ before: unknown; after: unknown }[]>(
      `SELECT "before", "after" FROM ${S}."management_events" WHERE "event_id" = $1`,
      [scalar.row.eventId],
    );
    expect(change).toEqual({
      before: 'a JSON string',
      after: [1, 'two', null, { 'k"ey': [] }],
    });
    expect(await verifier.verify(tenantId, { full: true })).toMatchObject({ ok: true });
  });

  it('stores a batch of several MiB, sent in pieces, and the chain verifies', async () => {
    const tenantId = nextTenant();
    const large = Array.from({ length: 4 }, () => management(tenantId));
    for (const [index, entry] of large.entries()) {
      Object.assign(entry.row, { after: { note: `${index}\\\t`.repeat(200_000) } });
    }

    expect(await appender.appendMany(large)).toBe(4);

    const rows = await dataSource.query<{ after: { note: string } }[]>(
      `SELECT "after" FROM ${S}."management_events" WHERE "tenant_id" = $1 ORDER BY "chain_seq"`,
      [tenantId],
    );
    expect(rows.map((row) => row.after.note)).toEqual(
      large.map((_, index) => `${index}\\\t`.repeat(200_000)),
    );
    expect(await verifier.verify(tenantId, { full: true })).toMatchObject({ ok: true });
  });

  it('refuses a whole batch when the database refuses one of its values', async () => {
    const tenantId = nextTenant();
    const fine = request(tenantId);
    const poison = request(tenantId);
    Object.assign(poison.row, { requestedModel: 'nul\u0000' });

    await expect(appender.appendMany([fine, poison])).rejects.toMatchObject({
      code: expect.stringMatching(/^22/),
    });

    expect(await positions(tenantId)).toEqual([]);
  });

  it('refuses a lone surrogate in a JSON state, as text JSON always was refused', async () => {
    // The hash encodes a JSON state with the escape; storing U+FFFD instead would break it.
    const tenantId = nextTenant();
    const state = management(tenantId);
    Object.assign(state.row, { before: null, after: 'a\ud800b' });

    await expect(appender.appendMany([state])).rejects.toMatchObject({
      code: expect.stringMatching(/^22/),
    });

    expect(await positions(tenantId)).toEqual([]);
    const stored = request(tenantId);
    expect(await appender.appendMany([stored])).toBe(1);
    expect(await verifier.verify(tenantId, { full: true })).toMatchObject({ ok: true });
  });

  it('skips events stored before and events repeated in the batch, and keeps the chain whole', async () => {
    const tenantId = nextTenant();
    const first = [request(tenantId), keyUse(tenantId)];
    await appender.appendMany(first);
    const again = request(tenantId);

    const inserted = await appender.appendMany([first[0], again, first[1], again]);

    expect(inserted).toBe(1);
    expect(await positions(tenantId)).toEqual([...first, again].map(keyOf));
    expect(await verifier.verify(tenantId, { full: true })).toMatchObject({ ok: true });
  });

  it('stores an event id sent in upper case as it reads back, and recognises it again', async () => {
    const tenantId = nextTenant();
    const event = auditEvent({ tenantId, eventId: randomUUID().toUpperCase() });
    const row = (): TrailRow => ({ kind: 'request', row: toRequestEventRow(event) });

    expect(await appender.appendMany([row()])).toBe(1);
    expect(await appender.appendMany([row(), request(tenantId)])).toBe(1);

    expect(appender.conflictingRedeliveries()).toBe(0);
    expect(await verifier.verify(tenantId, { full: true })).toMatchObject({ ok: true });
  });

  it('stores each event once when writers append the same events at the same time', async () => {
    const tenantId = nextTenant();
    await appender.appendMany([request(tenantId)]);
    const batch = [request(tenantId), keyUse(tenantId), request(tenantId)];
    const writers = [new ChainAppender(dataSource, load), new ChainAppender(dataSource, load)];

    // Both writers wait for the head while a third transaction holds it, so each looks for
    // stored events before the other has written them.
    const holder = dataSource.createQueryRunner();
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query(`SELECT 1 FROM ${S}."chain_heads" WHERE "tenant_id" = $1 FOR UPDATE`, [
      tenantId,
    ]);
    const appends = writers.map((writer) => writer.appendMany(batch));
    await waitFor(async () => (await lockWaiters(dataSource)) >= 2);
    await holder.query('COMMIT');
    await holder.release();

    const inserted = await Promise.all(appends);

    expect(inserted.sort()).toEqual([0, 3]);
    expect(await positions(tenantId)).toHaveLength(4);
    expect(await verifier.verify(tenantId, { full: true })).toMatchObject({ ok: true });
  });
});

async function lockWaiters(dataSource: DataSource): Promise<number> {
  const [row] = await dataSource.query<{ waiting: number }[]>(
    `SELECT count(*)::int AS "waiting" FROM pg_stat_activity
     WHERE "datname" = current_database() AND "wait_event_type" = 'Lock'`,
  );

  return row.waiting;
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the condition');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

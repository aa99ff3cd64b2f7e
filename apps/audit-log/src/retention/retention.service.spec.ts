import { randomUUID } from 'node:crypto';

import { DataSource } from 'typeorm';

import { auditEvent } from '../../test/audit-events';
import { openScratchTrail, ScratchTrail } from '../../test/scratch-trail';
import { ChainAppender } from '../chain/chain-appender';
import { ChainVerifier } from '../chain/chain-verifier';
import { AUDIT_LOG_SCHEMA } from '../database/audit-log-schema';
import { toRequestEventRow } from '../request-events/request-event.row';
import { UsageRollup } from '../usage/usage-rollup.service';
import { RetentionService } from './retention.service';

const DAY_MS = 86_400_000;
const T = `"${AUDIT_LOG_SCHEMA}"."request_events"`;
const CHECKPOINTS = `"${AUDIT_LOG_SCHEMA}"."chain_checkpoints"`;

// Against a real PostgreSQL, in a database of its own, migrated as at boot.
describe(RetentionService.name, () => {
  let trail: ScratchTrail;
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

  /** Runs a statement behind the triggers' back, as a superuser tampering with the trail would. */
  const tamper = async (sql: string, parameters: unknown[]): Promise<void> => {
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('BEGIN');
      await runner.query('SET LOCAL session_replication_role = replica');
      await runner.query(sql, parameters);
      await runner.query('COMMIT');
    } catch (error) {
      await runner.query('ROLLBACK');
      throw error;
    } finally {
      await runner.release();
    }
  };

  const rowAt = async (
    tenantId: string,
    seq: number,
  ): Promise<{ event_id: string; row_hash: Buffer }> => {
    const rows = await dataSource.query<{ event_id: string; row_hash: Buffer }[]>(
      `SELECT "event_id", "row_hash" FROM ${T} WHERE "tenant_id" = $1 AND "chain_seq" = $2`,
      [tenantId, seq],
    );

    return rows[0];
  };

  beforeAll(async () => {
    trail = await openScratchTrail();
    dataSource = trail.dataSource;
    appender = new ChainAppender(dataSource);
    verifier = new ChainVerifier(dataSource);
    rollup = new UsageRollup(dataSource);
    retention = new RetentionService(dataSource);
  });

  afterAll(async () => {
    await trail?.close();
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

  it('verifies the rows still present below a forged checkpoint', async () => {
    const tenantId = 'tenant-forged-checkpoint';
    await append(tenantId, 5);
    const edited = await rowAt(tenantId, 2);
    await tamper(`UPDATE ${T} SET "completion_tokens" = 1 WHERE "event_id" = $1`, [
      edited.event_id,
    ]);
    // A checkpoint that matches row 4, as if retention had cut there, to hide the edit below.
    await tamper(`INSERT INTO ${CHECKPOINTS} ("tenant_id", "seq", "hash") VALUES ($1, 4, $2)`, [
      tenantId,
      (await rowAt(tenantId, 4)).row_hash,
    ]);

    const verdict = await verifier.verify(tenantId);

    expect(verdict.firstBroken).toMatchObject({
      seq: 2,
      eventId: edited.event_id,
      reason: 'hash_mismatch',
    });
    expect(verdict.heads[0]).toMatchObject({ anchor: 'genesis', anchorSeq: 0 });
  });

  it('reports a checkpoint that disagrees with the row it summarises', async () => {
    const tenantId = 'tenant-wrong-checkpoint';
    await append(tenantId, 4);
    await tamper(`INSERT INTO ${CHECKPOINTS} ("tenant_id", "seq", "hash") VALUES ($1, 3, $2)`, [
      tenantId,
      Buffer.alloc(32, 7),
    ]);

    const verdict = await verifier.verify(tenantId);

    expect(verdict.firstBroken).toMatchObject({
      seq: 3,
      eventId: (await rowAt(tenantId, 3)).event_id,
      reason: 'checkpoint_mismatch',
    });
  });

  it('refuses to remove a range that does not verify, and keeps its rows', async () => {
    const tenantId = 'tenant-broken-retention';
    await append(tenantId, 3);
    await rollup.run();
    await tamper(`UPDATE ${T} SET "status" = 201 WHERE "tenant_id" = $1 AND "chain_seq" = 2`, [
      tenantId,
    ]);

    const result = await retention.run(1, new Date(Date.now() + 2 * DAY_MS));

    expect(await stored(tenantId)).toEqual([1, 2, 3]);
    expect(result.deleted).toBe(0);
    expect((await verifier.verify(tenantId)).firstBroken).toMatchObject({
      seq: 2,
      reason: 'hash_mismatch',
    });
  });

  it('verifies from the last verified position, re-checking it, and from the start when full', async () => {
    const tenantId = 'tenant-incremental';
    await append(tenantId, 3);
    const first = await verifier.verify(tenantId);
    await append(tenantId, 2);
    const second = await verifier.verify(tenantId);
    const old = await rowAt(tenantId, 1);
    await tamper(`UPDATE ${T} SET "status" = 201 WHERE "event_id" = $1`, [old.event_id]);
    const incremental = await verifier.verify(tenantId);
    const full = await verifier.verify(tenantId, { full: true });
    const marked = await rowAt(tenantId, 5);
    await tamper(`UPDATE ${T} SET "status" = 201 WHERE "event_id" = $1`, [marked.event_id]);
    const afterMarkEdit = await verifier.verify(tenantId);

    expect(first).toMatchObject({ ok: true, entriesChecked: 3 });
    expect(first.heads[0]).toMatchObject({ anchor: 'genesis', anchorSeq: 0 });
    expect(second).toMatchObject({ ok: true, entriesChecked: 2 });
    expect(second.heads[0]).toMatchObject({ anchor: 'verified_mark', anchorSeq: 3 });
    // An edit below the mark is found by a full check, not by the incremental one.
    expect(incremental.ok).toBe(true);
    expect(full.firstBroken).toMatchObject({ seq: 1, eventId: old.event_id });
    // The entry at the mark is re-checked every time.
    expect(afterMarkEdit.firstBroken).toMatchObject({ seq: 1, reason: 'hash_mismatch' });
  });

  it('names a forged duplicate of a position and a forged entry past the head', async () => {
    const tenantId = 'tenant-forged-rows';
    await append(tenantId, 3);
    const copy = (seq: number, eventId: string) =>
      tamper(
        `INSERT INTO ${T} SELECT (jsonb_populate_record(NULL::${T}, to_jsonb(e)
           || jsonb_build_object('event_id', $3::uuid, 'chain_seq', $2::bigint))).*
         FROM ${T} e WHERE "tenant_id" = $1 AND "chain_seq" = 2`,
        [tenantId, seq, eventId],
      );
    // A key use at a position a request already holds: the tables' own uniqueness misses it.
    const duplicate = randomUUID();
    await tamper(
      `INSERT INTO "${AUDIT_LOG_SCHEMA}"."key_use_events" ("event_id", "tenant_id",
         "provider_key_id", "operation", "outcome", "occurred_at", "chain_seq", "prev_hash",
         "row_hash") VALUES ($1, $2, 'pk-1', 'decrypt', 'ok', now(), 2, $3, $3)`,
      [duplicate, tenantId, (await rowAt(tenantId, 1)).row_hash],
    );

    const duplicated = await verifier.verify(tenantId, { full: true });
    await tamper(`DELETE FROM "${AUDIT_LOG_SCHEMA}"."key_use_events" WHERE "event_id" = $1`, [
      duplicate,
    ]);
    const beyond = randomUUID();
    await copy(4, beyond);
    const pastHead = await verifier.verify(tenantId, { full: true });

    expect(duplicated.firstBroken).toMatchObject({
      seq: 2,
      eventId: duplicate,
      reason: 'duplicate_entry',
    });
    expect(pastHead.firstBroken).toMatchObject({ seq: 4, eventId: beyond });
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

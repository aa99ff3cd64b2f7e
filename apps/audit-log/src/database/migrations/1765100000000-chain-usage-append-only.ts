import { MigrationInterface, QueryRunner } from 'typeorm';

import { chainHash, GENESIS_HASH } from '../../chain/chain-encoding';
import { fromDatabase } from '../../chain/trail-columns';
import { encodeEntry } from '../../chain/trail-entries';
import { AUDIT_LOG_SCHEMA } from '../audit-log-schema';
import { AUDIT_WRITER_ROLE, MAINTENANCE_SETTING, RETENTION_MAINTENANCE } from '../trail-access';

const S = `"${AUDIT_LOG_SCHEMA}"`;
const CHAIN_COLUMNS = `
  "chain_seq" bigint NOT NULL CHECK ("chain_seq" > 0),
  "prev_hash" bytea NOT NULL,
  "row_hash" bytea NOT NULL`;

/**
 * Issue #6: the trail becomes a hash chain per tenant over three append-only tables (requests,
 * key uses, management changes), requests gain usage details, timings and cost, and usage is
 * rolled up hourly and daily. Application writes run as the `xai_audit_writer` role, which may
 * only insert into the trail; triggers refuse UPDATE, DELETE and TRUNCATE (see docs/audit.md).
 */
export class ChainUsageAppendOnly1765100000000 implements MigrationInterface {
  readonly name = 'ChainUsageAppendOnly1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await this.extendRequestEvents(queryRunner);
    await this.createChainTables(queryRunner);
    await this.chainExistingRequests(queryRunner);
    await this.createUsageTables(queryRunner);
    await this.createWriterRole(queryRunner);
    await this.createAppendOnlyTriggers(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['request_events', 'key_use_events', 'management_events']) {
      await queryRunner.query(`DROP TRIGGER IF EXISTS "append_only_rows" ON ${S}."${table}"`);
      await queryRunner.query(`DROP TRIGGER IF EXISTS "append_only_truncate" ON ${S}."${table}"`);
    }
    await queryRunner.query(`DROP FUNCTION IF EXISTS ${S}."refuse_trail_change"()`);
    for (const table of [
      'key_use_events',
      'management_events',
      'chain_heads',
      'chain_checkpoints',
      'rollup_pending',
      'usage_hourly',
      'usage_daily',
      'price_overrides',
    ]) {
      await queryRunner.query(`DROP TABLE IF EXISTS ${S}."${table}"`);
    }
    await queryRunner.query(`
      ALTER TABLE ${S}."request_events"
        DROP COLUMN "member_id", DROP COLUMN "provider_type", DROP COLUMN "error_class",
        DROP COLUMN "attempts_detail", DROP COLUMN "ttft_ms", DROP COLUMN "cached_input_tokens",
        DROP COLUMN "reasoning_tokens", DROP COLUMN "cost_usd", DROP COLUMN "price_source",
        DROP COLUMN "chain_seq", DROP COLUMN "prev_hash", DROP COLUMN "row_hash"`);
  }

  private async extendRequestEvents(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE ${S}."request_events"
        ADD COLUMN "member_id" text NULL,
        ADD COLUMN "provider_type" text NULL,
        ADD COLUMN "error_class" text NULL,
        ADD COLUMN "attempts_detail" jsonb NOT NULL DEFAULT '[]',
        ADD COLUMN "ttft_ms" integer NULL CHECK ("ttft_ms" >= 0),
        ADD COLUMN "cached_input_tokens" integer NULL CHECK ("cached_input_tokens" >= 0),
        ADD COLUMN "reasoning_tokens" integer NULL CHECK ("reasoning_tokens" >= 0),
        ADD COLUMN "cost_usd" numeric(24, 12) NULL CHECK ("cost_usd" >= 0),
        ADD COLUMN "price_source" text NULL,
        ADD COLUMN "chain_seq" bigint NULL,
        ADD COLUMN "prev_hash" bytea NULL,
        ADD COLUMN "row_hash" bytea NULL`);
    await queryRunner.query(
      `CREATE INDEX "request_events_virtual_key_idx"
         ON ${S}."request_events" ("tenant_id", "virtual_key_id", "occurred_at" DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX "request_events_provider_key_idx"
         ON ${S}."request_events" ("tenant_id", "provider_key_id", "occurred_at" DESC)`,
    );
  }

  private async createChainTables(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE ${S}."key_use_events" (
        "event_id" uuid PRIMARY KEY,
        "tenant_id" text NOT NULL,
        "provider_key_id" text NOT NULL,
        "operation" text NOT NULL,
        "request_id" text NULL,
        "slot_id" text NULL,
        "outcome" text NOT NULL,
        "occurred_at" timestamptz NOT NULL,
        "recorded_at" timestamptz NOT NULL DEFAULT now(),
        ${CHAIN_COLUMNS},
        UNIQUE ("tenant_id", "chain_seq")
      )`);
    await queryRunner.query(`
      CREATE TABLE ${S}."management_events" (
        "event_id" uuid PRIMARY KEY,
        "tenant_id" text NOT NULL,
        "request_id" text NOT NULL,
        "actor_virtual_key_id" text NOT NULL,
        "actor_member_id" text NULL,
        "resource" text NOT NULL,
        "resource_id" text NULL,
        "action" text NOT NULL,
        "before" jsonb NULL,
        "after" jsonb NULL,
        "occurred_at" timestamptz NOT NULL,
        "recorded_at" timestamptz NOT NULL DEFAULT now(),
        ${CHAIN_COLUMNS},
        UNIQUE ("tenant_id", "chain_seq")
      )`);
    await queryRunner.query(`
      CREATE TABLE ${S}."chain_heads" (
        "tenant_id" text PRIMARY KEY,
        "seq" bigint NOT NULL,
        "hash" bytea NOT NULL,
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);
    // Where retention cut the start of a chain: verification resumes from the last one.
    await queryRunner.query(`
      CREATE TABLE ${S}."chain_checkpoints" (
        "tenant_id" text NOT NULL,
        "seq" bigint NOT NULL,
        "hash" bytea NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY ("tenant_id", "seq")
      )`);
  }

  /** Rows stored before the chain existed join it in their order, so nothing stays unchained. */
  private async chainExistingRequests(queryRunner: QueryRunner): Promise<void> {
    const rows = (await queryRunner.query(
      `SELECT * FROM ${S}."request_events" ORDER BY "tenant_id", "occurred_at", "event_id"`,
    )) as Record<string, unknown>[];
    const heads = new Map<string, { seq: number; hash: Buffer }>();
    for (const raw of rows) {
      const entry = fromDatabase('request', raw);
      const head = heads.get(entry.row.tenantId) ?? { seq: 0, hash: GENESIS_HASH };
      const seq = head.seq + 1;
      const hash = chainHash(head.hash, encodeEntry(entry, seq));
      await queryRunner.query(
        `UPDATE ${S}."request_events" SET "chain_seq" = $2, "prev_hash" = $3, "row_hash" = $4
         WHERE "event_id" = $1`,
        [entry.row.eventId, seq, head.hash, hash],
      );
      heads.set(entry.row.tenantId, { seq, hash });
    }
    for (const [tenantId, head] of heads) {
      await queryRunner.query(
        `INSERT INTO ${S}."chain_heads" ("tenant_id", "seq", "hash") VALUES ($1, $2, $3)`,
        [tenantId, head.seq, head.hash],
      );
    }
    await queryRunner.query(`
      ALTER TABLE ${S}."request_events"
        ALTER COLUMN "chain_seq" SET NOT NULL,
        ALTER COLUMN "prev_hash" SET NOT NULL,
        ALTER COLUMN "row_hash" SET NOT NULL,
        ADD CONSTRAINT "request_events_chain_seq_positive" CHECK ("chain_seq" > 0),
        ADD CONSTRAINT "request_events_chain_unique" UNIQUE ("tenant_id", "chain_seq")`);
  }

  private async createUsageTables(queryRunner: QueryRunner): Promise<void> {
    // Request events not yet added to the rollups; written in the same transaction as the event.
    await queryRunner.query(`CREATE TABLE ${S}."rollup_pending" ("event_id" uuid PRIMARY KEY)`);
    for (const [table, bucket] of [
      ['usage_hourly', 'hour'],
      ['usage_daily', 'day'],
    ]) {
      await queryRunner.query(`
        CREATE TABLE ${S}."${table}" (
          "tenant_id" text NOT NULL,
          "${bucket}" timestamptz NOT NULL,
          "model" text NOT NULL,
          "provider_key_id" text NOT NULL,
          "virtual_key_id" text NOT NULL,
          "requests" bigint NOT NULL,
          "errors" bigint NOT NULL,
          "input_tokens" bigint NOT NULL,
          "cached_input_tokens" bigint NOT NULL,
          "output_tokens" bigint NOT NULL,
          "reasoning_tokens" bigint NOT NULL,
          "cost_usd" numeric(30, 12) NOT NULL,
          "unpriced_requests" bigint NOT NULL,
          PRIMARY KEY ("tenant_id", "${bucket}", "model", "provider_key_id", "virtual_key_id")
        )`);
    }
    await queryRunner.query(`
      CREATE TABLE ${S}."price_overrides" (
        "tenant_id" text NOT NULL,
        "model" text NOT NULL,
        "input_per_mtok" text NOT NULL,
        "cached_input_per_mtok" text NULL,
        "output_per_mtok" text NOT NULL,
        "reasoning_per_mtok" text NULL,
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY ("tenant_id", "model")
      )`);
  }

  /**
   * Roles are cluster-wide, so the role may exist already (another database of the same
   * server); creating it twice, even concurrently, is not an error. The login user is made a
   * member so it can `SET ROLE` to it; a superuser can anyway.
   */
  private async createWriterRole(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DO $$ BEGIN
        CREATE ROLE ${AUDIT_WRITER_ROLE} NOLOGIN;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
      END $$`);
    await queryRunner.query(`
      DO $$ BEGIN
        EXECUTE format('GRANT ${AUDIT_WRITER_ROLE} TO %I', current_user);
      EXCEPTION WHEN others THEN
        RAISE NOTICE 'could not grant ${AUDIT_WRITER_ROLE} to %: %', current_user, SQLERRM;
      END $$`);
    const role = AUDIT_WRITER_ROLE;
    await queryRunner.query(`GRANT USAGE ON SCHEMA ${S} TO ${role}`);
    await queryRunner.query(
      `GRANT SELECT, INSERT ON ${S}."request_events", ${S}."key_use_events",
         ${S}."management_events" TO ${role}`,
    );
    await queryRunner.query(`GRANT SELECT ON ${S}."chain_checkpoints" TO ${role}`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON ${S}."chain_heads" TO ${role}`);
    await queryRunner.query(
      `GRANT SELECT, INSERT, UPDATE, DELETE ON ${S}."rollup_pending" TO ${role}`,
    );
    await queryRunner.query(
      `GRANT SELECT, INSERT, UPDATE ON ${S}."usage_hourly", ${S}."usage_daily" TO ${role}`,
    );
    await queryRunner.query(
      `GRANT SELECT, INSERT, UPDATE, DELETE ON ${S}."price_overrides" TO ${role}`,
    );
  }

  /**
   * Rows of the trail are never changed: UPDATE and TRUNCATE are refused for everyone, DELETE
   * for everyone but the retention job (the login user, with the maintenance setting on, never
   * the writer role). A superuser can still disable triggers; the hash chain is what shows that.
   */
  private async createAppendOnlyTriggers(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION ${S}."refuse_trail_change"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE'
           AND current_user <> '${AUDIT_WRITER_ROLE}'
           AND current_setting('${MAINTENANCE_SETTING}', true) = '${RETENTION_MAINTENANCE}' THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION 'the audit trail is append-only: % on %.% refused',
          TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    for (const table of ['request_events', 'key_use_events', 'management_events']) {
      await queryRunner.query(`
        CREATE TRIGGER "append_only_rows" BEFORE UPDATE OR DELETE ON ${S}."${table}"
          FOR EACH ROW EXECUTE FUNCTION ${S}."refuse_trail_change"()`);
      await queryRunner.query(`
        CREATE TRIGGER "append_only_truncate" BEFORE TRUNCATE ON ${S}."${table}"
          FOR EACH STATEMENT EXECUTE FUNCTION ${S}."refuse_trail_change"()`);
    }
    await queryRunner.query(`
      CREATE TRIGGER "append_only_rows" BEFORE UPDATE OR DELETE ON ${S}."chain_checkpoints"
        FOR EACH ROW EXECUTE FUNCTION ${S}."refuse_trail_change"()`);
  }
}

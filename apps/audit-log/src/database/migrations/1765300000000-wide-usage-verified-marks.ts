import { MigrationInterface, QueryRunner } from 'typeorm';

import { AUDIT_LOG_SCHEMA } from '../audit-log-schema';
import { AUDIT_WRITER_ROLE } from '../trail-access';

const S = `"${AUDIT_LOG_SCHEMA}"`;
const TOKEN_COLUMNS = [
  'prompt_tokens',
  'cached_input_tokens',
  'completion_tokens',
  'reasoning_tokens',
  'total_tokens',
];

/**
 * Token counts become bigint, so no count a provider reports can overflow a column and hold up
 * the batch it came in; requests gain `ingest_flags` (what audit-log corrected at ingest, e.g. a
 * count capped); `chain_verified` keeps, per tenant, the last position `audit verify` checked,
 * so the next check starts there.
 */
export class WideUsageVerifiedMarks1765300000000 implements MigrationInterface {
  readonly name = 'WideUsageVerifiedMarks1765300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const widen = TOKEN_COLUMNS.map((column) => `ALTER COLUMN "${column}" TYPE bigint`);
    await queryRunner.query(
      `ALTER TABLE ${S}."request_events" ${widen.join(', ')}, ADD COLUMN "ingest_flags" text NULL`,
    );
    await queryRunner.query(`
      CREATE TABLE ${S}."chain_verified" (
        "tenant_id" text PRIMARY KEY,
        "seq" bigint NOT NULL,
        "hash" bytea NOT NULL,
        "verified_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `GRANT SELECT, INSERT, UPDATE, DELETE ON ${S}."chain_verified" TO ${AUDIT_WRITER_ROLE}`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ${S}."chain_verified"`);
    const narrow = TOKEN_COLUMNS.map((column) => `ALTER COLUMN "${column}" TYPE integer`);
    await queryRunner.query(
      `ALTER TABLE ${S}."request_events" ${narrow.join(', ')}, DROP COLUMN "ingest_flags"`,
    );
  }
}

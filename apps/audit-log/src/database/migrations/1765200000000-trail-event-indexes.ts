import { MigrationInterface, QueryRunner } from 'typeorm';

import { AUDIT_LOG_SCHEMA } from '../audit-log-schema';

const S = `"${AUDIT_LOG_SCHEMA}"`;

/**
 * Indexes for listing key uses and management changes of a tenant, newest first, page by page
 * (`GET /x-audit/key-uses`, `GET /x-audit/changes`), as request events already have.
 */
export class TrailEventIndexes1765200000000 implements MigrationInterface {
  readonly name = 'TrailEventIndexes1765200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "key_use_events_tenant_time_idx"
         ON ${S}."key_use_events" ("tenant_id", "occurred_at" DESC, "event_id" DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX "management_events_tenant_time_idx"
         ON ${S}."management_events" ("tenant_id", "occurred_at" DESC, "event_id" DESC)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX ${S}."management_events_tenant_time_idx"`);
    await queryRunner.query(`DROP INDEX ${S}."key_use_events_tenant_time_idx"`);
  }
}

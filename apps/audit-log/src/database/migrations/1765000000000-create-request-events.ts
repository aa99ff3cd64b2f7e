import { MigrationInterface, QueryRunner } from 'typeorm';

import { AUDIT_LOG_SCHEMA } from '../audit-log-schema';

const S = `"${AUDIT_LOG_SCHEMA}"`;

/**
 * The raw audit trail: one row per routed request, keyed by the event id the gateway fixed
 * before the upstream call, so a redelivered event is stored once.
 */
export class CreateRequestEvents1765000000000 implements MigrationInterface {
  readonly name = 'CreateRequestEvents1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE ${S}."request_events" (
        "event_id" uuid PRIMARY KEY,
        "request_id" text NOT NULL,
        "tenant_id" text NOT NULL,
        "virtual_key_id" text NOT NULL,
        "provider_key_id" text NULL,
        "level" integer NULL,
        "requested_model" text NULL,
        "upstream_model" text NULL,
        "endpoint" text NOT NULL,
        "status" integer NOT NULL,
        "error_code" text NULL,
        "stream" boolean NOT NULL,
        "attempts" integer NOT NULL CHECK ("attempts" >= 0),
        "latency_ms" integer NOT NULL CHECK ("latency_ms" >= 0),
        "prompt_tokens" integer NULL CHECK ("prompt_tokens" >= 0),
        "completion_tokens" integer NULL CHECK ("completion_tokens" >= 0),
        "total_tokens" integer NULL CHECK ("total_tokens" >= 0),
        "occurred_at" timestamptz NOT NULL,
        "recorded_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX "request_events_tenant_time_idx"
         ON ${S}."request_events" ("tenant_id", "occurred_at" DESC, "event_id" DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX "request_events_request_id_idx" ON ${S}."request_events" ("request_id")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ${S}."request_events"`);
  }
}

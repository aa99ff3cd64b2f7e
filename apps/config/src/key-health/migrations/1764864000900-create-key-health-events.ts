import { MigrationInterface, QueryRunner } from 'typeorm';

import { CONFIG_SCHEMA } from '../../database/config-schema';

const S = `"${CONFIG_SCHEMA}"`;

/** The history of provider-key health transitions announced by the gateways. */
export class CreateKeyHealthEvents1764864000900 implements MigrationInterface {
  readonly name = 'CreateKeyHealthEvents1764864000900';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE ${S}."key_health_events" (
        "event_id" uuid PRIMARY KEY,
        "tenant_id" uuid NOT NULL REFERENCES ${S}."tenants" ("id") ON DELETE CASCADE,
        "provider_key_id" text NOT NULL,
        "from_state" text NOT NULL CHECK ("from_state" IN ('active', 'sleeping', 'dead')),
        "to_state" text NOT NULL CHECK ("to_state" IN ('active', 'sleeping', 'dead')),
        "reason" text NOT NULL,
        "detail" text NULL,
        "until" timestamptz NULL,
        "occurred_at" timestamptz NOT NULL,
        "recorded_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX "key_health_events_key_idx"
         ON ${S}."key_health_events" ("tenant_id", "provider_key_id", "occurred_at")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ${S}."key_health_events"`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

import { CONFIG_SCHEMA } from '../../database/config-schema';

const S = `"${CONFIG_SCHEMA}"`;

/**
 * Members of a tenant, and the member each member-role virtual key belongs to. Keys issued
 * before members existed keep a null member (they route by the owner's rules only).
 */
export class CreateMembers1764864001200 implements MigrationInterface {
  readonly name = 'CreateMembers1764864001200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE ${S}."members" (
        "id" uuid PRIMARY KEY,
        "tenant_id" uuid NOT NULL REFERENCES ${S}."tenants" ("id") ON DELETE CASCADE,
        "name" text NOT NULL,
        "model_mapper" text NOT NULL DEFAULT '',
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "members_tenant_name_unique" UNIQUE ("tenant_id", "name")
      )`);
    await queryRunner.query(`
      ALTER TABLE ${S}."virtual_keys"
        ADD COLUMN "member_id" uuid NULL REFERENCES ${S}."members" ("id") ON DELETE SET NULL,
        ADD CONSTRAINT "virtual_keys_member_role_check"
          CHECK ("member_id" IS NULL OR "role" = 'member')`);
    await queryRunner.query(
      `CREATE INDEX "virtual_keys_member_id_idx" ON ${S}."virtual_keys" ("member_id")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE ${S}."virtual_keys"
        DROP CONSTRAINT "virtual_keys_member_role_check",
        DROP COLUMN "member_id"`);
    await queryRunner.query(`DROP TABLE ${S}."members"`);
  }
}

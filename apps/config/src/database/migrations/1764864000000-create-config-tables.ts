import { MigrationInterface, QueryRunner } from 'typeorm';

import { CONFIG_SCHEMA } from '../config-schema';

const S = `"${CONFIG_SCHEMA}"`;

/** Tenants, virtual-key records and provider-key metadata. */
export class CreateConfigTables1764864000000 implements MigrationInterface {
  readonly name = 'CreateConfigTables1764864000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE ${S}."tenants" (
        "id" uuid PRIMARY KEY,
        "name" text NOT NULL,
        "level_mapper" text NOT NULL DEFAULT '',
        "model_mapper" text NOT NULL DEFAULT '',
        "switch_over" text NOT NULL DEFAULT '',
        "default_level" integer NOT NULL DEFAULT 1 CHECK ("default_level" BETWEEN 1 AND 1000),
        "version" bigint NOT NULL DEFAULT 0 CHECK ("version" >= 0),
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE ${S}."virtual_keys" (
        "id" uuid PRIMARY KEY,
        "tenant_id" uuid NOT NULL REFERENCES ${S}."tenants" ("id") ON DELETE CASCADE,
        "key_hash" text NOT NULL CONSTRAINT "virtual_keys_key_hash_unique" UNIQUE,
        "hint" text NOT NULL DEFAULT '',
        "role" text NOT NULL CHECK ("role" IN ('owner', 'member')),
        "name" text NOT NULL,
        "status" text NOT NULL DEFAULT 'active' CHECK ("status" IN ('active', 'revoked')),
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "revoked_at" timestamptz NULL
      )`);
    await queryRunner.query(
      `CREATE INDEX "virtual_keys_tenant_id_idx" ON ${S}."virtual_keys" ("tenant_id")`,
    );
    await queryRunner.query(`
      CREATE TABLE ${S}."provider_keys" (
        "id" uuid PRIMARY KEY,
        "tenant_id" uuid NOT NULL REFERENCES ${S}."tenants" ("id") ON DELETE CASCADE,
        "name" text NOT NULL,
        "level" integer NOT NULL CHECK ("level" BETWEEN 1 AND 1000),
        "provider" text NOT NULL,
        "status" boolean NOT NULL,
        "provider_type" text NOT NULL
          CHECK ("provider_type" IN ('openai', 'anthropic', 'gemini', 'azure')),
        "config" jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof("config") = 'object'),
        "secret_hint" text NOT NULL DEFAULT '',
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX "provider_keys_tenant_order_idx"
         ON ${S}."provider_keys" ("tenant_id", "created_at", "id")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ${S}."provider_keys"`);
    await queryRunner.query(`DROP TABLE ${S}."virtual_keys"`);
    await queryRunner.query(`DROP TABLE ${S}."tenants"`);
  }
}

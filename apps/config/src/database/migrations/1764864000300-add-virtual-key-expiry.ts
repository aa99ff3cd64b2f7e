import { MigrationInterface, QueryRunner } from 'typeorm';

import { CONFIG_SCHEMA } from '../config-schema';

const S = `"${CONFIG_SCHEMA}"`;

/**
 * Virtual keys that expire (the old key of a rotation with a grace period) and recovery codes,
 * which are recorded like virtual keys with a role of their own.
 */
export class AddVirtualKeyExpiry1764864000300 implements MigrationInterface {
  readonly name = 'AddVirtualKeyExpiry1764864000300';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE ${S}."virtual_keys" ADD COLUMN "expires_at" timestamptz NULL`,
    );
    await queryRunner.query(`
      ALTER TABLE ${S}."virtual_keys"
        DROP CONSTRAINT "virtual_keys_role_check",
        ADD CONSTRAINT "virtual_keys_role_check" CHECK ("role" IN ('owner', 'member', 'recovery'))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM ${S}."virtual_keys" WHERE "role" = 'recovery'`);
    await queryRunner.query(`
      ALTER TABLE ${S}."virtual_keys"
        DROP CONSTRAINT "virtual_keys_role_check",
        ADD CONSTRAINT "virtual_keys_role_check" CHECK ("role" IN ('owner', 'member'))`);
    await queryRunner.query(`ALTER TABLE ${S}."virtual_keys" DROP COLUMN "expires_at"`);
  }
}

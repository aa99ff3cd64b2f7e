import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the credential-slot lifecycle, crypto-shredding and KEK checks need: a slot may expire
 * (a virtual key rotated with a grace period), each KEK version leaves a check value so a wrong
 * KEK is noticed at boot, and every tenant destruction leaves a record of who asked.
 */
export class AddCustodyLifecycle1796401437013 implements MigrationInterface {
  name = 'AddCustodyLifecycle1796401437013';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "key_vault"."credential_slots" ADD COLUMN "expires_at" timestamptz NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "credential_slots_expires_at_idx" ON "key_vault"."credential_slots" ("expires_at")
         WHERE "expires_at" IS NOT NULL`,
    );
    await queryRunner.query(`
      CREATE TABLE "key_vault"."kek_checks" (
        "kek_version" integer PRIMARY KEY CHECK ("kek_version" > 0),
        "check_value" bytea NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE "key_vault"."tenant_destructions" (
        "id" bigserial PRIMARY KEY,
        "tenant_id" varchar(200) NOT NULL,
        "destroyed_by" varchar(200) NOT NULL,
        "request_id" varchar(200) NOT NULL DEFAULT '',
        "slots_destroyed" integer NOT NULL,
        "ciphertexts_destroyed" integer NOT NULL,
        "destroyed_at" timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "key_vault"."tenant_destructions"`);
    await queryRunner.query(`DROP TABLE "key_vault"."kek_checks"`);
    await queryRunner.query(`DROP INDEX "key_vault"."credential_slots_expires_at_idx"`);
    await queryRunner.query(`ALTER TABLE "key_vault"."credential_slots" DROP COLUMN "expires_at"`);
  }
}

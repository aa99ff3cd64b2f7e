import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * key-vault's first tables. Slots and ciphertexts hang off their tenant's keyring, so deleting
 * a keyring destroys everything sealed under its DEK (crypto-shredding). The index on
 * `kek_version` serves the KEK rotation job's per-version counts and batches.
 */
export class CreateKeyVaultTables1796401437012 implements MigrationInterface {
  name = 'CreateKeyVaultTables1796401437012';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "key_vault"."keyrings" (
        "tenant_id" varchar(200) PRIMARY KEY,
        "dek_version" integer NOT NULL CHECK ("dek_version" > 0),
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE "key_vault"."credential_slots" (
        "tenant_id" varchar(200) NOT NULL
          REFERENCES "key_vault"."keyrings" ("tenant_id") ON DELETE CASCADE,
        "slot_id" varchar(200) NOT NULL,
        "dek_version" integer NOT NULL CHECK ("dek_version" > 0),
        "kek_version" integer NOT NULL CHECK ("kek_version" > 0),
        "sealed" bytea NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY ("tenant_id", "slot_id")
      )`);
    await queryRunner.query(
      `CREATE INDEX "credential_slots_kek_version_idx" ON "key_vault"."credential_slots" ("kek_version")`,
    );
    await queryRunner.query(`
      CREATE TABLE "key_vault"."provider_key_ciphertexts" (
        "tenant_id" varchar(200) NOT NULL
          REFERENCES "key_vault"."keyrings" ("tenant_id") ON DELETE CASCADE,
        "provider_key_id" varchar(200) NOT NULL,
        "dek_version" integer NOT NULL CHECK ("dek_version" > 0),
        "ciphertext" bytea NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY ("tenant_id", "provider_key_id")
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "key_vault"."provider_key_ciphertexts"`);
    await queryRunner.query(`DROP TABLE "key_vault"."credential_slots"`);
    await queryRunner.query(`DROP TABLE "key_vault"."keyrings"`);
  }
}

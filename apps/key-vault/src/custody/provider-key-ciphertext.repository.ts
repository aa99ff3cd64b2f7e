import { createHash } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { DataSource, Repository } from 'typeorm';

import { ProviderKeyCiphertextEntity } from '../database/entities/provider-key-ciphertext.entity';
import { ProviderKeyCiphertextRow } from './keyring.repository';

/**
 * A ciphertext's revision: a SHA-256 digest of the stored bytes (public, like the ciphertext;
 * every seal has a fresh nonce, so every write has a new revision). The SQL below computes the
 * same value.
 */
export function ciphertextRevision(ciphertext: Buffer): string {
  return createHash('sha256').update(ciphertext).digest('hex');
}

const REVISION_SQL = `encode(sha256("ciphertext"), 'hex')`;

/** Provider-key ciphertexts in PostgreSQL. */
@Injectable()
export class ProviderKeyCiphertextRepository {
  private readonly rows: Repository<ProviderKeyCiphertextEntity>;

  constructor(dataSource: DataSource) {
    this.rows = dataSource.getRepository(ProviderKeyCiphertextEntity);
  }

  /** A provider key's ciphertext, if one is stored. */
  async find(tenantId: string, providerKeyId: string): Promise<ProviderKeyCiphertextRow | null> {
    return this.rows.findOneBy({ tenantId, providerKeyId });
  }

  /** Stores a ciphertext, replacing the provider key's previous one. */
  async save(row: ProviderKeyCiphertextRow): Promise<void> {
    await this.rows
      .createQueryBuilder()
      .insert()
      .values(row)
      .orUpdate(['dek_version', 'ciphertext', 'updated_at'], ['tenant_id', 'provider_key_id'])
      .execute();
  }

  /** The revision of a provider key's ciphertext, or `undefined` when none is stored. */
  async revision(tenantId: string, providerKeyId: string): Promise<string | undefined> {
    const row = await this.rows.findOneBy({ tenantId, providerKeyId });

    return row ? ciphertextRevision(row.ciphertext) : undefined;
  }

  /**
   * Replaces a ciphertext only if the stored one is still at `revision` (a compare-and-set in one
   * statement); resolves whether it was replaced.
   */
  async replaceIfRevision(row: ProviderKeyCiphertextRow, revision: string): Promise<boolean> {
    const result = await this.rows
      .createQueryBuilder()
      .update()
      .set({ dekVersion: row.dekVersion, ciphertext: row.ciphertext })
      .where('tenant_id = :tenantId AND provider_key_id = :providerKeyId', row)
      .andWhere(`${REVISION_SQL} = :revision`, { revision })
      .execute();

    return (result.affected ?? 0) > 0;
  }

  /** Deletes a provider key's ciphertext; resolves whether there was one. */
  async delete(tenantId: string, providerKeyId: string): Promise<boolean> {
    const result = await this.rows.delete({ tenantId, providerKeyId });

    return (result.affected ?? 0) > 0;
  }
}

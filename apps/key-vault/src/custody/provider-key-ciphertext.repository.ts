import { Injectable } from '@nestjs/common';
import { DataSource, Repository } from 'typeorm';

import { ProviderKeyCiphertextEntity } from '../database/entities/provider-key-ciphertext.entity';
import { ProviderKeyCiphertextRow } from './keyring.repository';

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

  /** Deletes a provider key's ciphertext; resolves whether there was one. */
  async delete(tenantId: string, providerKeyId: string): Promise<boolean> {
    const result = await this.rows.delete({ tenantId, providerKeyId });

    return (result.affected ?? 0) > 0;
  }
}

import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

import { isUniqueViolation } from '../database/postgres-errors';
import { ConfigErrorCode } from '../errors/config-error-code';
import { ConfigException } from '../errors/config.exception';
import { NewProviderKey, ProviderKeyFields } from './dto/provider-key-input';
import { ProviderKeyEntity } from './provider-key.entity';

/** Provider-key metadata in PostgreSQL; always scoped to one tenant. */
@Injectable()
export class ProviderKeysRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The tenant's keys, oldest first (ties by id, so the order is stable). */
  listByTenant(
    tenantId: string,
    db: EntityManager = this.dataSource.manager,
  ): Promise<ProviderKeyEntity[]> {
    return db.find(ProviderKeyEntity, {
      where: { tenantId },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  /** @throws ConfigException PROVIDER_KEY_EXISTS when the id is taken */
  async insert(db: EntityManager, key: NewProviderKey): Promise<ProviderKeyEntity> {
    try {
      await db.insert(ProviderKeyEntity, key);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      throw new ConfigException(
        ConfigErrorCode.ProviderKeyExists,
        `provider key ${key.id} already exists`,
        { cause: error },
      );
    }

    return db.findOneByOrFail(ProviderKeyEntity, { id: key.id });
  }

  /** Applies `changes`; `null` when the tenant has no such key. */
  async update(
    db: EntityManager,
    tenantId: string,
    id: string,
    changes: Partial<ProviderKeyFields>,
  ): Promise<ProviderKeyEntity | null> {
    // The explicit timestamp makes even an empty change list touch the row and count it.
    const result = await db.update(
      ProviderKeyEntity,
      { tenantId, id },
      { ...changes, updatedAt: () => 'now()' },
    );
    if (!result.affected) return null;

    return db.findOneByOrFail(ProviderKeyEntity, { id });
  }

  /** Whether a key was deleted. */
  async delete(db: EntityManager, tenantId: string, id: string): Promise<boolean> {
    const result = await db.delete(ProviderKeyEntity, { tenantId, id });

    return Boolean(result.affected);
  }
}

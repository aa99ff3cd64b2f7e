import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

import { TenantConfigPatch } from './dto/tenant-config-update';
import { TenantEntity } from './tenant.entity';

// One fixed advisory-lock key serialises first-start bootstraps across every config replica.
const BOOTSTRAP_LOCK_KEY = 0x78616901;

/** Tenants in PostgreSQL. Methods take the transaction's manager when they are part of one. */
@Injectable()
export class TenantsRepository {
  constructor(private readonly dataSource: DataSource) {}

  findById(id: string, db: EntityManager = this.dataSource.manager): Promise<TenantEntity | null> {
    return db.findOneBy(TenantEntity, { id });
  }

  /** Whether any tenant exists. */
  async any(db: EntityManager): Promise<boolean> {
    return (await db.find(TenantEntity, { select: { id: true }, take: 1 })).length > 0;
  }

  /** Holds the bootstrap lock until the transaction ends. */
  async lockForBootstrap(db: EntityManager): Promise<void> {
    await db.query('SELECT pg_advisory_xact_lock($1)', [BOOTSTRAP_LOCK_KEY]);
  }

  async create(
    db: EntityManager,
    tenant: Pick<TenantEntity, 'id' | 'name' | 'version'>,
  ): Promise<TenantEntity> {
    await db.insert(TenantEntity, tenant);

    return db.findOneByOrFail(TenantEntity, { id: tenant.id });
  }

  /**
   * Increments the tenant's version and returns the new one, or `undefined` when there is no
   * such tenant. The row stays locked until the transaction ends, so changes to one tenant
   * commit one at a time and versions never repeat.
   */
  async bumpVersion(db: EntityManager, id: string): Promise<number | undefined> {
    const result = await db
      .createQueryBuilder()
      .update(TenantEntity)
      .set({ version: () => 'version + 1', updatedAt: () => 'now()' })
      .where('id = :id', { id })
      .returning('version')
      .execute();
    const rows = result.raw as { version: string }[];

    return rows.length === 0 ? undefined : Number(rows[0].version);
  }

  async updateConfig(
    db: EntityManager,
    id: string,
    patch: TenantConfigPatch,
  ): Promise<TenantEntity> {
    if (Object.keys(patch).length > 0) await db.update(TenantEntity, { id }, patch);

    return db.findOneByOrFail(TenantEntity, { id });
  }
}

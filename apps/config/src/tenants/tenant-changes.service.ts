import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

import { UnitOfWork } from '../database/unit-of-work';
import { ConfigException } from '../errors/config.exception';
import { ConfigChange, ConfigChangePublisher } from '../events/config-change.publisher';
import { TenantsRepository } from './tenants.repository';

/** What is about to change; the version is assigned by {@link TenantChanges.apply}. */
export type PendingChange = Omit<ConfigChange, 'version'>;

/**
 * The one way to change a tenant's configuration or keys: the change and the tenant's version
 * bump commit together, and the config-change event goes out only after the commit.
 */
@Injectable()
export class TenantChanges {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly tenants: TenantsRepository,
    private readonly publisher: ConfigChangePublisher,
  ) {}

  /**
   * Runs `work` in a transaction that first bumps (and so locks) the tenant, then announces the
   * new version.
   * @throws ConfigException TENANT_NOT_FOUND, or whatever `work` throws (nothing is committed)
   */
  async apply<T>(change: PendingChange, work: (tx: EntityManager) => Promise<T>): Promise<T> {
    const { result, version } = await this.unitOfWork.run(async (tx) => {
      const version = await this.tenants.bumpVersion(tx, change.tenantId);
      if (version === undefined) throw ConfigException.tenantNotFound(change.tenantId);

      return { result: await work(tx), version };
    });
    await this.publisher.publish({ ...change, version });

    return result;
  }
}

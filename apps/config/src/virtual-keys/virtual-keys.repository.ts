import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

import { VirtualKeyEntity } from './virtual-key.entity';

/** A new virtual-key record. */
export type NewVirtualKey = Pick<
  VirtualKeyEntity,
  'id' | 'tenantId' | 'keyHash' | 'hint' | 'role' | 'name'
>;

/** Virtual-key records in PostgreSQL, looked up by the gateway's keyed hash. */
@Injectable()
export class VirtualKeysRepository {
  constructor(private readonly dataSource: DataSource) {}

  findActiveByHash(
    keyHash: string,
    db: EntityManager = this.dataSource.manager,
  ): Promise<VirtualKeyEntity | null> {
    return db.findOneBy(VirtualKeyEntity, { keyHash, status: 'active' });
  }

  async create(db: EntityManager, key: NewVirtualKey): Promise<VirtualKeyEntity> {
    await db.insert(VirtualKeyEntity, { ...key, status: 'active' });

    return db.findOneByOrFail(VirtualKeyEntity, { id: key.id });
  }
}

import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

import { isUniqueViolation } from '../database/postgres-errors';
import { ConfigException } from '../errors/config.exception';
import { MemberFields } from './dto/member-input';
import { MemberEntity } from './member.entity';

const NAME_CONSTRAINT = 'members_tenant_name_unique';

/** Members in PostgreSQL; always scoped to one tenant. */
@Injectable()
export class MembersRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The tenant's members, oldest first (ties by id, so the order is stable). */
  listByTenant(
    tenantId: string,
    db: EntityManager = this.dataSource.manager,
  ): Promise<MemberEntity[]> {
    return db.find(MemberEntity, { where: { tenantId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** The tenant's member with this id, if any. */
  findOne(db: EntityManager, tenantId: string, id: string): Promise<MemberEntity | null> {
    return db.findOneBy(MemberEntity, { tenantId, id });
  }

  /** @throws ConfigException MEMBER_EXISTS when the tenant has a member of that name */
  async insert(
    db: EntityManager,
    member: MemberFields & { id: string; tenantId: string },
  ): Promise<MemberEntity> {
    await nameChecked(member.name, () => db.insert(MemberEntity, member));

    return db.findOneByOrFail(MemberEntity, { id: member.id });
  }

  /** Applies `changes`; `null` when the tenant has no such member. */
  async update(
    db: EntityManager,
    tenantId: string,
    id: string,
    changes: Partial<MemberFields>,
  ): Promise<MemberEntity | null> {
    // The explicit timestamp makes even an empty change list touch the row and count it.
    const result = await nameChecked(changes.name, () =>
      db.update(MemberEntity, { tenantId, id }, { ...changes, updatedAt: () => 'now()' }),
    );
    if (!result.affected) return null;

    return db.findOneByOrFail(MemberEntity, { id });
  }

  /** Whether a member was deleted. */
  async delete(db: EntityManager, tenantId: string, id: string): Promise<boolean> {
    const result = await db.delete(MemberEntity, { tenantId, id });

    return Boolean(result.affected);
  }
}

async function nameChecked<T>(name: string | undefined, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!isUniqueViolation(error, NAME_CONSTRAINT)) throw error;
    throw ConfigException.memberExists(name ?? '', error);
  }
}

import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

import { MemberEntity } from '../members/member.entity';
import { VirtualKeyEntity } from './virtual-key.entity';

/** A new virtual-key record. */
export type NewVirtualKey = Pick<
  VirtualKeyEntity,
  'id' | 'tenantId' | 'keyHash' | 'hint' | 'role' | 'name'
> &
  Partial<Pick<VirtualKeyEntity, 'memberId'>>;

// A key authenticates while it is active and its grace period, if any, is not over.
const LIVE = `key.status = 'active' AND (key.expires_at IS NULL OR key.expires_at > now())`;

/** Virtual-key records in PostgreSQL, looked up by the gateway's keyed hash. */
@Injectable()
export class VirtualKeysRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The live key with this hash, if any. */
  findActiveByHash(
    keyHash: string,
    db: EntityManager = this.dataSource.manager,
  ): Promise<VirtualKeyEntity | null> {
    return db
      .createQueryBuilder(VirtualKeyEntity, 'key')
      .where('key.key_hash = :keyHash', { keyHash })
      .andWhere(LIVE)
      .getOne();
  }

  /** The tenant's live keys, oldest first. */
  listLive(tenantId: string): Promise<VirtualKeyEntity[]> {
    return this.dataSource.manager
      .createQueryBuilder(VirtualKeyEntity, 'key')
      .where('key.tenant_id = :tenantId', { tenantId })
      .andWhere(LIVE)
      .orderBy('key.created_at')
      .addOrderBy('key.id')
      .getMany();
  }

  /** Whether the tenant has this member (a key may be issued for it). */
  memberExists(db: EntityManager, tenantId: string, memberId: string): Promise<boolean> {
    return db.existsBy(MemberEntity, { tenantId, id: memberId });
  }

  async create(db: EntityManager, key: NewVirtualKey): Promise<VirtualKeyEntity> {
    await db.insert(VirtualKeyEntity, { ...key, status: 'active' });

    return db.findOneByOrFail(VirtualKeyEntity, { id: key.id });
  }

  /**
   * Revokes at once every key of a member that has not been revoked yet (those in a grace
   * period too); resolves their ids.
   */
  async revokeAllOfMember(
    db: EntityManager,
    tenantId: string,
    memberId: string,
  ): Promise<string[]> {
    const result = await db
      .createQueryBuilder()
      .update(VirtualKeyEntity)
      .set({ status: () => `'revoked'`, revokedAt: () => 'now()' })
      .where('tenant_id = :tenantId AND member_id = :memberId', { tenantId, memberId })
      .andWhere(`status = 'active'`)
      .returning('id')
      .execute();

    return (result.raw as { id: string }[]).map((row) => row.id);
  }

  /**
   * Revokes a live key of the tenant now, or lets it expire after `graceSeconds` (never later
   * than an expiry already set). Resolves the record after the change, or `null` when the
   * tenant has no such live key, or, with `onlyIfUnscheduled`, when its revocation is already
   * scheduled (the row lock of the UPDATE makes this a compare-and-set).
   */
  async revoke(
    db: EntityManager,
    tenantId: string,
    id: string,
    graceSeconds: number,
    onlyIfUnscheduled = false,
  ): Promise<VirtualKeyEntity | null> {
    const change =
      graceSeconds === 0
        ? { status: () => `'revoked'`, revokedAt: () => 'now()' }
        : {
            expiresAt: () =>
              `LEAST(COALESCE(expires_at, now() + make_interval(secs => :grace)), now() + make_interval(secs => :grace))`,
          };
    const result = await db
      .createQueryBuilder()
      .update(VirtualKeyEntity)
      .set(change)
      .setParameter('grace', graceSeconds)
      .where('id = :id AND tenant_id = :tenantId', { id, tenantId })
      .andWhere(`status = 'active' AND (expires_at IS NULL OR expires_at > now())`)
      .andWhere(onlyIfUnscheduled ? 'expires_at IS NULL' : 'TRUE')
      .execute();
    if ((result.affected ?? 0) === 0) return null;

    return db.findOneByOrFail(VirtualKeyEntity, { id });
  }
}

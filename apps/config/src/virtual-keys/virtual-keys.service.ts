import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import {
  BootstrapOwnerRequest,
  BootstrapOwnerResponse,
  IssueVirtualKeyRequest,
  IssueVirtualKeyResponse,
  ListVirtualKeysRequest,
  ListVirtualKeysResponse,
  ResolveVirtualKeyRequest,
  ResolveVirtualKeyResponse,
  RevokeVirtualKeyRequest,
  RevokeVirtualKeyResponse,
} from '@xai/contracts';
import { EntityManager } from 'typeorm';

import { UnitOfWork } from '../database/unit-of-work';
import { ConfigErrorCode } from '../errors/config-error-code';
import { ConfigException } from '../errors/config.exception';
import { ConfigChangePublisher } from '../events/config-change.publisher';
import { isUniqueViolation } from '../database/postgres-errors';
import { TenantChanges } from '../tenants/tenant-changes.service';
import { TenantsRepository } from '../tenants/tenants.repository';
import { requireText, requireUuid } from '../validation/field-validators';
import { requireKeyHash, requireKeyHint } from './dto/virtual-key-hash';
import { requireRole, toVirtualKeyMessage } from './dto/virtual-key.message';
import { VirtualKeyEntity, VirtualKeyRoleName } from './virtual-key.entity';
import { VirtualKeysRepository } from './virtual-keys.repository';

/** The name of the tenant created on first start. */
export const BOOTSTRAP_TENANT_NAME = 'default';
/** The name of that tenant's owner key. */
export const BOOTSTRAP_KEY_NAME = 'owner';

const MAX_NAME_LENGTH = 100;
const MAX_GRACE_SECONDS = 30 * 24 * 3600;

type BootstrapOutcome =
  | { kind: 'existing'; key: VirtualKeyEntity }
  | { kind: 'created'; key: VirtualKeyEntity; version: number }
  | { kind: 'refused' };

/**
 * Virtual-key records: first-start bootstrap, lookup by keyed hash, and issue, revoke and list.
 * Every change bumps the tenant's version and tells the gateways, which drop cached keys.
 */
@Injectable()
export class VirtualKeysService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly virtualKeys: VirtualKeysRepository,
    private readonly tenants: TenantsRepository,
    private readonly publisher: ConfigChangePublisher,
    private readonly changes: TenantChanges,
  ) {}

  /**
   * Registers the first owner. Under an advisory lock, so gateways starting together agree:
   * a hash already registered (and active) is confirmed; with no tenant yet, the "default"
   * tenant and its owner key are created; otherwise nothing happens.
   */
  async bootstrapOwner(request: BootstrapOwnerRequest): Promise<BootstrapOwnerResponse> {
    const keyHash = requireKeyHash('virtual_key_hash', request.virtualKeyHash);
    const hint = requireKeyHint('virtual_key_hint', request.virtualKeyHint);

    const outcome = await this.unitOfWork.run((tx) => this.bootstrapIn(tx, keyHash, hint));
    if (outcome.kind === 'refused') return { created: false };
    if (outcome.kind === 'created') {
      await this.publisher.publish({
        tenantId: outcome.key.tenantId,
        version: outcome.version,
        kind: 'virtual_key',
      });
    }

    return { created: outcome.kind === 'created', virtualKey: toVirtualKeyMessage(outcome.key) };
  }

  /** The active virtual key with this hash. */
  async resolve(request: ResolveVirtualKeyRequest): Promise<ResolveVirtualKeyResponse> {
    const keyHash = requireKeyHash('virtual_key_hash', request.virtualKeyHash);

    const key = await this.virtualKeys.findActiveByHash(keyHash);
    // The message names no hash: which hashes exist is nobody's business.
    if (!key)
      throw new ConfigException(ConfigErrorCode.VirtualKeyNotFound, 'virtual key not found');

    return { virtualKey: toVirtualKeyMessage(key) };
  }

  /** Records a new key of the tenant. The gateway has already given it a key-vault slot. */
  async issue(request: IssueVirtualKeyRequest): Promise<IssueVirtualKeyResponse> {
    const tenantId = requireUuid('tenant_id', request.tenantId);
    const key = {
      id: requireUuid('id', request.id),
      tenantId,
      keyHash: requireKeyHash('virtual_key_hash', request.virtualKeyHash),
      hint: requireKeyHint('virtual_key_hint', request.virtualKeyHint),
      role: requireRole('role', request.role),
      name: requireText('name', request.name, MAX_NAME_LENGTH),
    };
    const memberId = memberOf(request, key.role);

    const created = await this.changes
      .apply({ tenantId, kind: 'virtual_key' }, async (tx) => {
        if (memberId && !(await this.virtualKeys.memberExists(tx, tenantId, memberId))) {
          throw ConfigException.memberNotFound(memberId);
        }

        return this.virtualKeys.create(tx, { ...key, memberId });
      })
      .catch((error: unknown) => {
        if (isUniqueViolation(error)) {
          throw ConfigException.invalid('virtual_key_hash', 'is already registered', error);
        }
        throw error;
      });

    return { virtualKey: toVirtualKeyMessage(created) };
  }

  /** Revokes a live key of the tenant now, or after a grace period. */
  async revoke(request: RevokeVirtualKeyRequest): Promise<RevokeVirtualKeyResponse> {
    const tenantId = requireUuid('tenant_id', request.tenantId);
    const id = requireUuid('id', request.id);
    const grace = request.graceSeconds;
    if (!Number.isInteger(grace) || grace < 0 || grace > MAX_GRACE_SECONDS) {
      throw ConfigException.invalid('grace_seconds', `must be 0 to ${MAX_GRACE_SECONDS}`);
    }

    const onlyIfUnscheduled = request.onlyIfUnscheduled === true;
    const revoked = await this.changes.apply({ tenantId, kind: 'virtual_key' }, async (tx) => {
      const key = await this.virtualKeys.revoke(tx, tenantId, id, grace, onlyIfUnscheduled);
      if (!key && onlyIfUnscheduled) {
        throw new ConfigException(
          ConfigErrorCode.VirtualKeyAlreadyRevoked,
          `virtual key ${id} is revoked or has a revocation scheduled already`,
        );
      }
      if (!key)
        throw new ConfigException(
          ConfigErrorCode.VirtualKeyNotFound,
          `virtual key ${id} not found`,
        );

      return key;
    });

    return { virtualKey: toVirtualKeyMessage(revoked) };
  }

  /** The tenant's keys that still authenticate, oldest first. */
  async list(request: ListVirtualKeysRequest): Promise<ListVirtualKeysResponse> {
    const tenantId = requireUuid('tenant_id', request.tenantId);

    const keys = await this.virtualKeys.listLive(tenantId);

    return { virtualKeys: keys.map(toVirtualKeyMessage) };
  }

  private async bootstrapIn(
    tx: EntityManager,
    keyHash: string,
    hint: string,
  ): Promise<BootstrapOutcome> {
    await this.tenants.lockForBootstrap(tx);
    const existing = await this.virtualKeys.findActiveByHash(keyHash, tx);
    if (existing) return { kind: 'existing', key: existing };
    if (await this.tenants.any(tx)) return { kind: 'refused' };

    // A new tenant starts at version 1: its creation is its first change.
    const tenant = await this.tenants.create(tx, {
      id: randomUUID(),
      name: BOOTSTRAP_TENANT_NAME,
      version: 1,
    });
    const key = await this.virtualKeys.create(tx, {
      id: randomUUID(),
      tenantId: tenant.id,
      keyHash,
      hint,
      role: 'owner',
      name: BOOTSTRAP_KEY_NAME,
    });

    return { kind: 'created', key, version: tenant.version };
  }
}

/** The member a new key is for: only member keys may have one. */
function memberOf(request: IssueVirtualKeyRequest, role: VirtualKeyRoleName): string | null {
  if (request.memberId === undefined || request.memberId === '') return null;
  const memberId = requireUuid('member_id', request.memberId);
  if (role !== 'member') throw ConfigException.invalid('member_id', 'is only for member keys');

  return memberId;
}

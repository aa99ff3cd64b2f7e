import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import {
  BootstrapOwnerRequest,
  BootstrapOwnerResponse,
  ResolveVirtualKeyRequest,
  ResolveVirtualKeyResponse,
} from '@xai/contracts';
import { EntityManager } from 'typeorm';

import { UnitOfWork } from '../database/unit-of-work';
import { ConfigErrorCode } from '../errors/config-error-code';
import { ConfigException } from '../errors/config.exception';
import { ConfigChangePublisher } from '../events/config-change.publisher';
import { TenantsRepository } from '../tenants/tenants.repository';
import { requireKeyHash, requireKeyHint } from './dto/virtual-key-hash';
import { toVirtualKeyMessage } from './dto/virtual-key.message';
import { VirtualKeyEntity } from './virtual-key.entity';
import { VirtualKeysRepository } from './virtual-keys.repository';

/** The name of the tenant created on first start. */
export const BOOTSTRAP_TENANT_NAME = 'default';
/** The name of that tenant's owner key. */
export const BOOTSTRAP_KEY_NAME = 'owner';

type BootstrapOutcome =
  | { kind: 'existing'; key: VirtualKeyEntity }
  | { kind: 'created'; key: VirtualKeyEntity; version: number }
  | { kind: 'refused' };

/** Virtual-key records: first-start bootstrap and lookup by keyed hash. */
@Injectable()
export class VirtualKeysService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly virtualKeys: VirtualKeysRepository,
    private readonly tenants: TenantsRepository,
    private readonly publisher: ConfigChangePublisher,
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

import { MemberEntity } from '../src/members/member.entity';
import { ProviderKeyEntity } from '../src/provider-keys/provider-key.entity';
import { TenantEntity } from '../src/tenants/tenant.entity';
import { VirtualKeyEntity } from '../src/virtual-keys/virtual-key.entity';

export const TENANT_ID = '6f1c2a4e-3b7d-4c1e-9a2b-5d8e7f6a1b2c';
export const KEY_ID = '0b9e8d7c-6a5f-4e3d-8c2b-1a0f9e8d7c6b';
export const MEMBER_ID = '5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d';
const CREATED = new Date('2026-01-02T03:04:05.000Z');

/** A stored tenant, with fields overridden as a test needs. */
export function tenantRow(fields: Partial<TenantEntity> = {}): TenantEntity {
  return Object.assign(new TenantEntity(), {
    id: TENANT_ID,
    name: 'default',
    levelMapper: '',
    modelMapper: '',
    switchOver: '',
    defaultLevel: 1,
    version: 3,
    createdAt: CREATED,
    updatedAt: CREATED,
    ...fields,
  });
}

/** A stored provider key, with fields overridden as a test needs. */
export function providerKeyRow(fields: Partial<ProviderKeyEntity> = {}): ProviderKeyEntity {
  return Object.assign(new ProviderKeyEntity(), {
    id: KEY_ID,
    tenantId: TENANT_ID,
    name: 'primary',
    level: 1,
    provider: 'https://api.openai.com/v1',
    status: true,
    providerType: 'openai',
    config: {},
    secretHint: 'abcd',
    createdAt: CREATED,
    updatedAt: CREATED,
    ...fields,
  });
}

/** A stored virtual key, with fields overridden as a test needs. */
export function virtualKeyRow(fields: Partial<VirtualKeyEntity> = {}): VirtualKeyEntity {
  return Object.assign(new VirtualKeyEntity(), {
    id: 'c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f',
    tenantId: TENANT_ID,
    keyHash: 'a'.repeat(64),
    hint: 'xai-ab',
    role: 'owner',
    name: 'owner',
    status: 'active',
    createdAt: CREATED,
    revokedAt: null,
    expiresAt: null,
    memberId: null,
    ...fields,
  });
}

/** A stored member, with fields overridden as a test needs. */
export function memberRow(fields: Partial<MemberEntity> = {}): MemberEntity {
  return Object.assign(new MemberEntity(), {
    id: MEMBER_ID,
    tenantId: TENANT_ID,
    name: 'analytics',
    modelMapper: '',
    createdAt: CREATED,
    updatedAt: CREATED,
    ...fields,
  });
}

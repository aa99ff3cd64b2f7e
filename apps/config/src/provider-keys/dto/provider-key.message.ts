import { ProviderKey } from '@xai/contracts';

import { ProviderKeyEntity } from '../provider-key.entity';

/** A provider key's metadata as the proto's `ProviderKey`. */
export function toProviderKeyMessage(key: ProviderKeyEntity): ProviderKey {
  return {
    id: key.id,
    tenantId: key.tenantId,
    name: key.name,
    level: key.level,
    provider: key.provider,
    status: key.status,
    providerType: key.providerType,
    configJson: JSON.stringify(key.config),
    secretHint: key.secretHint,
    createdAt: key.createdAt.toISOString(),
    updatedAt: key.updatedAt.toISOString(),
  };
}

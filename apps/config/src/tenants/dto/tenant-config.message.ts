import { TenantConfig } from '@xai/contracts';

import { TenantEntity } from '../tenant.entity';

/** A tenant's routing configuration as the proto's `TenantConfig`. */
export function toTenantConfigMessage(tenant: TenantEntity): TenantConfig {
  return {
    levelMapper: tenant.levelMapper,
    modelMapper: tenant.modelMapper,
    switchOver: tenant.switchOver,
    defaultLevel: tenant.defaultLevel,
    version: tenant.version,
  };
}

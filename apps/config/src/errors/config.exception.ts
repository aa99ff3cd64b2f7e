import { DomainException } from '@xai/common';

import { ConfigErrorCode } from './config-error-code';

/** A refused config-service call; its message is safe to return to the caller. */
export class ConfigException extends DomainException<ConfigErrorCode> {
  /** Bad input: the message names the field (and, for mappers, the item). */
  static invalid(field: string, problem: string, cause?: unknown): ConfigException {
    return new ConfigException(ConfigErrorCode.InvalidArgument, `${field}: ${problem}`, { cause });
  }

  /** The tenant does not exist. */
  static tenantNotFound(tenantId: string): ConfigException {
    return new ConfigException(ConfigErrorCode.TenantNotFound, `tenant ${tenantId} not found`);
  }

  /** The provider key does not exist or belongs to another tenant. */
  static providerKeyNotFound(id: string): ConfigException {
    return new ConfigException(ConfigErrorCode.ProviderKeyNotFound, `provider key ${id} not found`);
  }

  /** The member does not exist or belongs to another tenant. */
  static memberNotFound(id: string): ConfigException {
    return new ConfigException(ConfigErrorCode.MemberNotFound, `member ${id} not found`);
  }

  /** The tenant already has a member of that name. */
  static memberExists(name: string, cause?: unknown): ConfigException {
    return new ConfigException(
      ConfigErrorCode.MemberExists,
      `a member named "${name}" already exists`,
      { cause },
    );
  }
}

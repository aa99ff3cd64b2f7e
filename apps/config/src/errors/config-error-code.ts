/** Every way a config-service call can fail on purpose. */
export enum ConfigErrorCode {
  InvalidArgument = 'CONFIG_INVALID_ARGUMENT',
  /** The caller did not prove it is the gateway (no or wrong service token). */
  CallerNotAllowed = 'CONFIG_CALLER_NOT_ALLOWED',
  TenantNotFound = 'CONFIG_TENANT_NOT_FOUND',
  VirtualKeyNotFound = 'CONFIG_VIRTUAL_KEY_NOT_FOUND',
  VirtualKeyAlreadyRevoked = 'CONFIG_VIRTUAL_KEY_ALREADY_REVOKED',
  ProviderKeyNotFound = 'CONFIG_PROVIDER_KEY_NOT_FOUND',
  ProviderKeyExists = 'CONFIG_PROVIDER_KEY_EXISTS',
  MemberNotFound = 'CONFIG_MEMBER_NOT_FOUND',
  MemberExists = 'CONFIG_MEMBER_EXISTS',
}

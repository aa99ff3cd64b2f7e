/** Every way a config-service call can fail on purpose. */
export enum ConfigErrorCode {
  InvalidArgument = 'CONFIG_INVALID_ARGUMENT',
  TenantNotFound = 'CONFIG_TENANT_NOT_FOUND',
  VirtualKeyNotFound = 'CONFIG_VIRTUAL_KEY_NOT_FOUND',
  ProviderKeyNotFound = 'CONFIG_PROVIDER_KEY_NOT_FOUND',
  ProviderKeyExists = 'CONFIG_PROVIDER_KEY_EXISTS',
}

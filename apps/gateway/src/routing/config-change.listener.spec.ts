import { ConfigChangeEvent } from '@xai/events';

import { VirtualKeyAuthenticator } from '../auth/virtual-key.authenticator';
import { ProviderSecretStore } from '../custody/provider-secret.store';
import { GatewayConfig } from '../gateway.config';
import { ModelsService } from '../proxy/models.service';
import { GatewayMetrics } from '../telemetry/gateway-metrics';
import { ConfigChangeListener } from './config-change.listener';
import { ConfigStreamState } from './config-stream.state';
import { TenantRoutingCache } from './tenant-routing.cache';

const TENANT = 'tenant-1';

describe(ConfigChangeListener.name, () => {
  const secrets = { forgetKey: jest.fn(), forgetTenant: jest.fn(), forgetAll: jest.fn() };
  const routing = { forget: jest.fn(), forgetAll: jest.fn() };
  let listener: ConfigChangeListener;

  beforeEach(() => {
    jest.clearAllMocks();
    const config = {
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      XAI_REDIS_PREFIX: 'xai-test-listener:',
    } as GatewayConfig;
    const forgetful = { forgetTenant: jest.fn(), forgetAll: jest.fn() };
    listener = new ConfigChangeListener(
      config,
      routing as unknown as TenantRoutingCache,
      forgetful as unknown as VirtualKeyAuthenticator,
      secrets as unknown as ProviderSecretStore,
      forgetful as unknown as ModelsService,
      new ConfigStreamState(),
      { recordConfigChange: jest.fn() } as unknown as GatewayMetrics,
    );
  });

  afterEach(async () => {
    await listener.onModuleDestroy();
  });

  const change = (fields: Partial<ConfigChangeEvent>): ConfigChangeEvent => ({
    tenantId: TENANT,
    version: 7,
    kind: 'tenant_config',
    occurredAt: new Date().toISOString(),
    ...fields,
  });

  it('keeps the decrypted keys on a routing-only change, so half-open probes can still run', () => {
    listener.apply(change({ kind: 'tenant_config' }));

    expect(routing.forget).toHaveBeenCalledWith(TENANT);
    expect(secrets.forgetKey).not.toHaveBeenCalled();
    expect(secrets.forgetTenant).not.toHaveBeenCalled();
  });

  it("drops only the changed provider key's plaintext on a provider-key change", () => {
    listener.apply(change({ kind: 'provider_key', providerKeyId: 'key-1' }));

    expect(secrets.forgetKey).toHaveBeenCalledWith('key-1');
    expect(secrets.forgetTenant).not.toHaveBeenCalled();
  });

  it("drops the tenant's plaintexts on a virtual-key change (issue, revoke, rotate)", () => {
    listener.apply(change({ kind: 'virtual_key' }));

    expect(secrets.forgetTenant).toHaveBeenCalledWith(TENANT);
  });
});

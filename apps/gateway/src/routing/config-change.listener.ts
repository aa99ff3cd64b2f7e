import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { AppLogger } from '@xai/common';
import {
  ConfigChangeEvent,
  ConfigChangeEventSchema,
  StreamTail,
  createRedisClient,
  streamNames,
} from '@xai/events';
import type Redis from 'ioredis';

import { VirtualKeyAuthenticator } from '../auth/virtual-key.authenticator';
import { ProviderSecretStore } from '../custody/provider-secret.store';
import { GATEWAY_CONFIG, GatewayConfig } from '../gateway.config';
import { ModelsService } from '../proxy/models.service';
import { GatewayMetrics } from '../telemetry/gateway-metrics';
import { ConfigStreamState } from './config-stream.state';
import { TenantRoutingCache } from './tenant-routing.cache';

/**
 * Drops cached state when config publishes a change: every replica tails the config stream
 * (broadcast, not a consumer group). A changed provider key's plaintext goes at once; after a
 * gap in the stream (Redis restarted, events possibly missed) everything is dropped. A virtual
 * key change (issued, revoked, rotated) drops the tenant's plaintexts, so every replica asks
 * key-vault, which checks the caller's slot, before serving one again. While the stream cannot
 * be read, {@link ConfigStreamState} bounds the caches' life instead.
 */
@Injectable()
export class ConfigChangeListener implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new AppLogger(ConfigChangeListener.name);
  private readonly redis: Redis;
  private readonly tail: StreamTail<ConfigChangeEvent>;

  constructor(
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    private readonly routing: TenantRoutingCache,
    private readonly authenticator: VirtualKeyAuthenticator,
    private readonly secrets: ProviderSecretStore,
    private readonly models: ModelsService,
    private readonly streamState: ConfigStreamState,
    private readonly metrics: GatewayMetrics,
  ) {
    this.redis = createRedisClient(config.REDIS_URL, 'gateway-config-tail');
    this.tail = new StreamTail<ConfigChangeEvent>({
      redis: this.redis,
      stream: streamNames(config.XAI_REDIS_PREFIX).config,
      schema: ConfigChangeEventSchema,
      onEvent: async (event, entryId) => {
        this.apply(event);
        this.metrics.recordConfigChange(entryId);
      },
      onGap: async () => this.dropAll(),
      onConnectionChange: (connected) => this.onConnectionChange(connected),
    });
  }

  onModuleInit(): void {
    this.tail.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.tail.stop();
    this.redis.disconnect();
  }

  /** Applies one change to every cache. */
  apply(event: ConfigChangeEvent): void {
    this.routing.forget(event.tenantId);
    this.authenticator.forgetTenant(event.tenantId);
    this.models.forgetTenant(event.tenantId);
    if (event.providerKeyId) this.secrets.forgetKey(event.providerKeyId);
    // A revoked key's slot is gone: plaintexts it opened must be opened again through key-vault.
    if (event.kind === 'virtual_key') this.secrets.forgetTenant(event.tenantId);
  }

  /**
   * Applies a change made by this replica to its own caches at once, without waiting for the
   * stream (which may be down, see {@link ConfigStreamState}).
   */
  applyLocally(tenantId: string, providerKeyId?: string): void {
    this.routing.forget(tenantId);
    this.authenticator.forgetTenant(tenantId);
    this.models.forgetTenant(tenantId);
    if (providerKeyId) this.secrets.forgetKey(providerKeyId);
  }

  private onConnectionChange(connected: boolean): void {
    if (connected === this.streamState.isFollowing()) return;
    this.streamState.set(connected);
    if (connected) return;
    this.logger.warn('config stream unavailable: cached keys are served for 2 s at most', {
      maxCacheAgeMs: this.streamState.maxCacheAgeMs(),
    });
  }

  private dropAll(): void {
    this.logger.warn('config stream gap: dropping every cached tenant');
    this.routing.forgetAll();
    this.authenticator.forgetAll();
    this.secrets.forgetAll();
  }
}

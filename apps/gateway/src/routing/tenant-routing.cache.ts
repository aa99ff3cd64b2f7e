import { Inject, Injectable } from '@nestjs/common';

import { TtlCache } from '../cache/ttl-cache';
import { ServiceClients, fromGrpcError } from '../clients/service-clients';
import { GATEWAY_CONFIG, GatewayConfig } from '../gateway.config';
import { TenantRouting } from './tenant-routing';
import { ConfigStreamState } from './config-stream.state';

/**
 * Each tenant's {@link TenantRouting}, fetched from config once and kept in memory. Dropped when
 * a config-change event names the tenant; a bounded TTL is the safety net if an event is missed.
 * Concurrent misses for one tenant share one fetch.
 */
@Injectable()
export class TenantRoutingCache {
  private readonly cache: TtlCache<string, TenantRouting>;
  private readonly loading = new Map<string, Promise<TenantRouting>>();

  constructor(
    private readonly clients: ServiceClients,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    streamState: ConfigStreamState,
  ) {
    this.cache = new TtlCache(config.XAI_AUTH_CACHE_TTL_SECONDS * 1000, 100_000, () =>
      streamState.maxCacheAgeMs(),
    );
  }

  /** The tenant's routing state, from memory when warm. */
  get(tenantId: string): TenantRouting | Promise<TenantRouting> {
    return this.cache.get(tenantId) ?? this.load(tenantId);
  }

  /** Drops a tenant's state. */
  forget(tenantId: string): void {
    this.cache.delete(tenantId);
    this.loading.delete(tenantId);
  }

  /** Drops every tenant's state. */
  forgetAll(): void {
    this.cache.clear();
    this.loading.clear();
  }

  private load(tenantId: string): Promise<TenantRouting> {
    const inFlight = this.loading.get(tenantId);
    if (inFlight) return inFlight;

    const promise = this.fetch(tenantId).finally(() => {
      if (this.loading.get(tenantId) === promise) this.loading.delete(tenantId);
    });
    this.loading.set(tenantId, promise);

    return promise;
  }

  private async fetch(tenantId: string): Promise<TenantRouting> {
    try {
      const snapshot = await this.clients.config.call('getRoutingSnapshot', { tenantId });
      const routing = TenantRouting.fromSnapshot(snapshot);
      // A change that landed while this fetch was in flight removed the promise: don't cache.
      if (this.loading.has(tenantId)) this.cache.set(tenantId, routing);

      return routing;
    } catch (error) {
      throw fromGrpcError(error, 'load the routing configuration');
    }
  }
}

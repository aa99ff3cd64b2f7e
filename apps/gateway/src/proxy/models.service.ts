import { Inject, Injectable } from '@nestjs/common';
import { AppLogger } from '@xai/common';

import { Caller } from '../auth/caller';
import { TtlCache } from '../cache/ttl-cache';
import { ProviderSecretStore } from '../custody/provider-secret.store';
import { mapModel } from '../routing/route-planner';
import { RoutableKey, TenantRouting } from '../routing/tenant-routing';
import { GATEWAY_CONFIG, GatewayConfig } from '../gateway.config';
import {
  MAX_MODEL_LIST_PAGES,
  ModelEntry,
  configuredDeployments,
  modelListRequest,
  parseModelList,
} from './provider-model-list';
import { UpstreamClient } from './upstream.client';

export type { ModelEntry } from './provider-model-list';

const LIST_TTL_MS = 60_000;
const LIST_TIMEOUT_MS = 5_000;

/**
 * What a caller can reach (`GET /v1/models`): the models each provider behind the tenant's
 * enabled keys lists, plus the names the caller's ModelMappers accept (a member's own, then the
 * owner's), kept only when the rules the caller routes by lead them to a level with an enabled
 * key. The providers' lists are cached per tenant for a minute.
 */
@Injectable()
export class ModelsService {
  private readonly logger = new AppLogger(ModelsService.name);
  private readonly cache = new TtlCache<string, ReadonlyMap<string, ModelEntry>>(
    LIST_TTL_MS,
    10_000,
  );

  constructor(
    private readonly secrets: ProviderSecretStore,
    private readonly upstream: UpstreamClient,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /** The models the caller can use, sorted by id. */
  async list(caller: Caller, routing: TenantRouting, requestId: string): Promise<ModelEntry[]> {
    const models = new Map(await this.offered(caller, routing, requestId));
    const aliases = [
      ...(routing.memberMapper(caller.memberId)?.exactPatterns() ?? []),
      ...routing.modelMapper.exactPatterns(),
    ];
    for (const alias of aliases) {
      if (!models.has(alias))
        models.set(alias, { id: alias, object: 'model', created: 0, owned_by: 'xai-router' });
    }

    return [...models.values()]
      .filter((model) => this.routable(routing, caller, model.id))
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  /** Drops a tenant's cached list. */
  forgetTenant(tenantId: string): void {
    this.cache.deleteGroup(tenantId);
  }

  /** Keys whose provider may be asked for its list: the same guard as for a call. */
  private callable(key: RoutableKey): boolean {
    if (!key.enabled) return false;

    return this.config.XAI_ALLOW_PRIVATE_UPSTREAMS || !key.privateLiteralHost;
  }

  /** What the providers behind the tenant's keys list, the same for every caller of the tenant. */
  private async offered(
    caller: Caller,
    routing: TenantRouting,
    requestId: string,
  ): Promise<ReadonlyMap<string, ModelEntry>> {
    const cacheKey = `${caller.tenantId}:${routing.version}`;
    const cached = this.cache.get(cacheKey);
    if (cached) return cached;

    const offered = await this.offeredByProviders(caller, routing, requestId);
    this.cache.set(cacheKey, offered, caller.tenantId);

    return offered;
  }

  private routable(routing: TenantRouting, caller: Caller, model: string): boolean {
    const mapped = mapModel(routing, model, caller)?.model ?? model;
    const level = routing.levelMapper.resolve(mapped)?.level ?? routing.defaultLevel;

    return (routing.keysByLevel.get(level) ?? []).some((key) => key.enabled);
  }

  private async offeredByProviders(
    caller: Caller,
    routing: TenantRouting,
    requestId: string,
  ): Promise<Map<string, ModelEntry>> {
    const byProvider = new Map<string, RoutableKey>();
    for (const key of routing.allKeys()) {
      // Azure keys on one resource may name different deployments: each is listed.
      const provider = key.providerType === 'azure' ? key.id : `${key.providerType} ${key.baseUrl}`;
      if (this.callable(key) && !byProvider.has(provider)) byProvider.set(provider, key);
    }
    const lists = await Promise.all(
      [...byProvider.values()].map((key) => this.fetchList(caller, key, requestId)),
    );
    const models = new Map<string, ModelEntry>();
    for (const model of lists.flat()) if (!models.has(model.id)) models.set(model.id, model);

    return models;
  }

  /** One provider's list through the key type's adapter, every page of it. */
  private async fetchList(
    caller: Caller,
    key: RoutableKey,
    requestId: string,
  ): Promise<ModelEntry[]> {
    if (key.providerType === 'azure') return configuredDeployments(key.settings);
    try {
      const secret = await this.secrets.secretFor(caller, key, requestId);
      const target = { baseUrl: key.baseUrl, secret, settings: key.settings };
      const models: ModelEntry[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < MAX_MODEL_LIST_PAGES; page++) {
        const request = modelListRequest(key.providerType, target, cursor);
        if (!request) break;
        const response = await this.upstream.send({
          ...request,
          method: 'GET',
          signal: AbortSignal.timeout(LIST_TIMEOUT_MS),
        });
        const body: unknown = await response.body.json();
        if (response.statusCode !== 200) break;
        const listed = parseModelList(key.providerType, body);
        models.push(...listed.models);
        cursor = listed.next;
        if (cursor === undefined) break;
      }

      return models;
    } catch (error) {
      this.logger.warn('model list unavailable from a provider', {
        requestId,
        providerKeyId: key.id,
        error: error instanceof Error ? error.message : String(error),
      });

      return [];
    }
  }
}

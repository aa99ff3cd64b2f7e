import { Inject, Injectable } from '@nestjs/common';
import { AppLogger } from '@xai/common';
import { upstreamUrl } from '@xai/providers';

import { Caller } from '../auth/caller';
import { TtlCache } from '../cache/ttl-cache';
import { ProviderSecretStore } from '../custody/provider-secret.store';
import { RoutableKey, TenantRouting } from '../routing/tenant-routing';
import { GATEWAY_CONFIG, GatewayConfig } from '../gateway.config';
import { UpstreamClient } from './upstream.client';

/** A model in OpenAI's list shape. */
export interface ModelEntry {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
}

const LIST_TTL_MS = 60_000;
const LIST_TIMEOUT_MS = 5_000;

/**
 * What a caller can reach (`GET /v1/models`): the models each provider behind the tenant's
 * enabled keys lists, plus the names the tenant's ModelMapper accepts, kept only when the
 * tenant's rules route them to a level with an enabled key. Cached per tenant for a minute.
 */
@Injectable()
export class ModelsService {
  private readonly logger = new AppLogger(ModelsService.name);
  private readonly cache = new TtlCache<string, ModelEntry[]>(LIST_TTL_MS, 10_000);

  constructor(
    private readonly secrets: ProviderSecretStore,
    private readonly upstream: UpstreamClient,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /** The models the caller can use, sorted by id. */
  async list(caller: Caller, routing: TenantRouting, requestId: string): Promise<ModelEntry[]> {
    const cacheKey = `${caller.tenantId}:${routing.version}`;
    const cached = this.cache.get(cacheKey);
    if (cached) return cached;

    const offered = await this.offeredByProviders(caller, routing, requestId);
    for (const alias of routing.modelMapper.exactPatterns()) {
      if (!offered.has(alias))
        offered.set(alias, { id: alias, object: 'model', created: 0, owned_by: 'xai-router' });
    }
    const reachable = [...offered.values()]
      .filter((model) => this.routable(routing, model.id))
      .sort((a, b) => a.id.localeCompare(b.id));
    this.cache.set(cacheKey, reachable, caller.tenantId);

    return reachable;
  }

  /** Drops a tenant's cached list. */
  forgetTenant(tenantId: string): void {
    this.cache.deleteGroup(tenantId);
  }

  /** Keys whose provider may be asked for its list: the same guard as for a call. */
  private callable(key: RoutableKey): boolean {
    if (!key.enabled || key.providerType !== 'openai') return false;

    return this.config.XAI_ALLOW_PRIVATE_UPSTREAMS || !key.privateLiteralHost;
  }

  private routable(routing: TenantRouting, model: string): boolean {
    const mapped = routing.modelMapper.resolve(model)?.model ?? model;
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
      if (this.callable(key) && !byProvider.has(key.baseUrl)) byProvider.set(key.baseUrl, key);
    }
    const lists = await Promise.all(
      [...byProvider.values()].map((key) => this.fetchList(caller, key, requestId)),
    );
    const models = new Map<string, ModelEntry>();
    for (const model of lists.flat()) if (!models.has(model.id)) models.set(model.id, model);

    return models;
  }

  private async fetchList(
    caller: Caller,
    key: RoutableKey,
    requestId: string,
  ): Promise<ModelEntry[]> {
    try {
      const secret = await this.secrets.secretFor(caller, key, requestId);
      const response = await this.upstream.send({
        url: upstreamUrl(key.baseUrl, '/models'),
        method: 'GET',
        headers: { authorization: `Bearer ${secret}`, accept: 'application/json' },
        signal: AbortSignal.timeout(LIST_TIMEOUT_MS),
      });
      const body = (await response.body.json()) as { data?: unknown };
      if (response.statusCode !== 200 || !Array.isArray(body.data)) return [];

      return body.data.flatMap((item) => toModelEntry(item));
    } catch (error) {
      this.logger.warn('model list unavailable from a provider', {
        providerKeyId: key.id,
        error: error instanceof Error ? error.message : String(error),
      });

      return [];
    }
  }
}

function toModelEntry(item: unknown): ModelEntry[] {
  if (typeof item !== 'object' || item === null) return [];
  const { id, created, owned_by: ownedBy } = item as Record<string, unknown>;
  if (typeof id !== 'string') return [];

  return [
    {
      id,
      object: 'model',
      created: typeof created === 'number' ? created : 0,
      owned_by: typeof ownedBy === 'string' ? ownedBy : 'provider',
    },
  ];
}

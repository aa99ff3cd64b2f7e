import { Injectable } from '@nestjs/common';
import type { RequestAuditEvent } from '@xai/events';
import { formatPicoUsd, ModelPrice, parseUsd, priceUsage } from '@xai/pricing';

import type { RequestPricing } from '../request-events/request-event.row';
import { PriceOverridesRepository } from './price-overrides.repository';

/** How long a tenant's overrides are cached; a change made here drops the cache at once. */
const OVERRIDES_TTL_MS = 30_000;

/**
 * Prices requests as they are recorded: a cost the provider stated is kept as it is; otherwise
 * the usage is priced at the tenant's override or the price table, with zero markup. A call of
 * a model neither knows is recorded with its usage and a null cost, never a guess. Prices apply
 * when the call is recorded, so changing a price does not rewrite past costs.
 */
@Injectable()
export class PriceBook {
  private readonly cache = new Map<string, { at: number; overrides: ModelPrice[] }>();

  constructor(private readonly overrides: PriceOverridesRepository) {}

  /** The cost and price source of one request event. */
  async price(event: RequestAuditEvent): Promise<RequestPricing> {
    if (event.cost !== undefined && event.cost !== null) {
      return { costUsd: formatPicoUsd(parseUsd(event.cost)), priceSource: 'provider' };
    }
    const model = event.upstreamModel ?? event.requestedModel;
    if (!event.usage || !model) return { costUsd: null, priceSource: null };

    const usage = {
      inputTokens: event.usage.promptTokens,
      cachedInputTokens: event.usage.cachedInputTokens ?? 0,
      outputTokens: event.usage.completionTokens,
      reasoningTokens: event.usage.reasoningTokens ?? 0,
    };
    const priced = priceUsage(model, usage, await this.overridesOf(event.tenantId));

    return { costUsd: priced.costUsd, priceSource: priced.source };
  }

  /** Forgets a tenant's cached overrides after they changed. */
  forget(tenantId: string): void {
    this.cache.delete(tenantId);
  }

  private async overridesOf(tenantId: string): Promise<ModelPrice[]> {
    const cached = this.cache.get(tenantId);
    if (cached && Date.now() - cached.at < OVERRIDES_TTL_MS) return cached.overrides;

    const overrides = await this.overrides.list(tenantId);
    this.cache.set(tenantId, { at: Date.now(), overrides });

    return overrides;
  }
}

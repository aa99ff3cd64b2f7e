import { Body, Controller, Delete, Get, Param, Put, UseGuards } from '@nestjs/common';
import type { ModelPriceMessage } from '@xai/contracts';
import type { JsonValue } from '@xai/events';
import { z } from 'zod';

import { Caller } from '../auth/caller';
import { CurrentCaller, OwnerGuard } from '../auth/owner.guard';
import { ServiceClients, fromGrpcError } from '../clients/service-clients';
import { parseBody } from '../management/parse-body';
import { requireModelName } from '../routing/model-name';
import { ManagementAudit } from './management-audit';

const PRICE = z.string().regex(/^\d{1,6}(\.\d{1,6})?$/, 'a decimal in US dollars per 1M tokens');

const PriceBodySchema = z
  .object({
    Input: PRICE,
    CachedInput: PRICE.optional(),
    Output: PRICE,
    Reasoning: PRICE.optional(),
  })
  .strict();

/** A price as `/x-prices` shows it, in US dollars per million tokens. */
export interface PriceView {
  Model: string;
  Provider?: string;
  Input: string;
  CachedInput?: string;
  Output: string;
  Reasoning?: string;
}

/**
 * `/x-prices`: the price table costs are computed from (its version and sources) and the
 * tenant's own overrides, which apply to calls recorded after they are set (owner only).
 */
@Controller('x-prices')
@UseGuards(OwnerGuard)
export class PricesHttpController {
  constructor(
    private readonly clients: ServiceClients,
    private readonly audit: ManagementAudit,
  ) {}

  @Get()
  async list(@CurrentCaller() caller: Caller): Promise<{
    Version: string;
    Sources: string[];
    Prices: PriceView[];
    Overrides: PriceView[];
  }> {
    try {
      const answer = await this.clients.auditLog.call('listPrices', { tenantId: caller.tenantId });

      return {
        Version: answer.tableVersion,
        Sources: answer.tableSources,
        Prices: answer.prices.map(toView),
        Overrides: answer.overrides.map(toView),
      };
    } catch (error) {
      throw fromGrpcError(error, 'read the prices');
    }
  }

  @Put(':model')
  async set(
    @CurrentCaller() caller: Caller,
    @Param('model') model: string,
    @Body() body: unknown,
  ): Promise<PriceView> {
    requireModelName(model);
    const input = parseBody(PriceBodySchema, body);
    try {
      const answer = await this.clients.auditLog.call('setPriceOverride', {
        tenantId: caller.tenantId,
        price: {
          model,
          inputPerMtok: input.Input,
          cachedInputPerMtok: input.CachedInput ?? '',
          outputPerMtok: input.Output,
          reasoningPerMtok: input.Reasoning ?? '',
        },
      });
      const view = toView(answer.price);
      this.audit.record(caller, {
        resource: 'price_override',
        resourceId: view.Model,
        action: answer.previous ? 'update' : 'create',
        before: answer.previous ? state(answer.previous) : null,
        after: state(answer.price),
      });

      return view;
    } catch (error) {
      throw fromGrpcError(error, 'save the price');
    }
  }

  @Delete(':model')
  async remove(
    @CurrentCaller() caller: Caller,
    @Param('model') model: string,
  ): Promise<{ Model: string; Deleted: boolean }> {
    requireModelName(model);
    try {
      const { previous } = await this.clients.auditLog.call('deletePriceOverride', {
        tenantId: caller.tenantId,
        model,
      });
      if (previous) {
        this.audit.record(caller, {
          resource: 'price_override',
          resourceId: previous.model,
          action: 'delete',
          before: state(previous),
          after: null,
        });
      }

      return { Model: model.toLowerCase(), Deleted: Boolean(previous) };
    } catch (error) {
      throw fromGrpcError(error, 'delete the price');
    }
  }
}

function toView(price: ModelPriceMessage): PriceView {
  return {
    Model: price.model,
    ...(price.provider ? { Provider: price.provider } : {}),
    Input: price.inputPerMtok,
    ...(price.cachedInputPerMtok ? { CachedInput: price.cachedInputPerMtok } : {}),
    Output: price.outputPerMtok,
    ...(price.reasoningPerMtok ? { Reasoning: price.reasoningPerMtok } : {}),
  };
}

function state(price: ModelPriceMessage): JsonValue {
  return { ...toView(price) };
}

import { Controller, UseFilters, UseGuards } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { ServiceTokenGuard } from '@xai/common';
import type {
  DeletePriceOverrideRequest,
  DeletePriceOverrideResponse,
  ListPricesRequest,
  ListPricesResponse,
  ModelPriceMessage,
  SetPriceOverrideRequest,
  SetPriceOverrideResponse,
} from '@xai/contracts';
import { ModelPrice, ModelPriceSchema, PRICE_TABLE } from '@xai/pricing';

import { AuditLogException } from '../errors/audit-log.exception';
import { AuditLogGrpcExceptionFilter } from '../errors/grpc-exception.filter';
import { PriceBook } from './price-book.service';
import { PriceOverridesRepository } from './price-overrides.repository';

/** ListPrices, SetPriceOverride and DeletePriceOverride. */
@Controller()
@UseFilters(AuditLogGrpcExceptionFilter)
@UseGuards(ServiceTokenGuard)
export class PricesGrpcController {
  constructor(
    private readonly overrides: PriceOverridesRepository,
    private readonly book: PriceBook,
  ) {}

  @GrpcMethod('AuditLogService', 'ListPrices')
  async listPrices(request: ListPricesRequest): Promise<ListPricesResponse> {
    const tenantId = requireTenant(request.tenantId);

    return {
      tableVersion: PRICE_TABLE.version,
      tableSources: PRICE_TABLE.sources.map(
        (source) => `${source.provider}: ${source.url} (${source.checked})`,
      ),
      prices: PRICE_TABLE.models.map(toMessage),
      overrides: (await this.overrides.list(tenantId)).map(toMessage),
    };
  }

  @GrpcMethod('AuditLogService', 'SetPriceOverride')
  async setPriceOverride(request: SetPriceOverrideRequest): Promise<SetPriceOverrideResponse> {
    const tenantId = requireTenant(request.tenantId);
    const price = fromMessage(request.price);
    const previous = await this.overrides.upsert(tenantId, price);
    this.book.forget(tenantId);

    return { price: toMessage(price), previous: previous ? toMessage(previous) : null };
  }

  @GrpcMethod('AuditLogService', 'DeletePriceOverride')
  async deletePriceOverride(
    request: DeletePriceOverrideRequest,
  ): Promise<DeletePriceOverrideResponse> {
    const tenantId = requireTenant(request.tenantId);
    const model = (request.model ?? '').trim().toLowerCase();
    if (model === '') throw AuditLogException.invalid('model', 'is required');
    const previous = await this.overrides.remove(tenantId, model);
    this.book.forget(tenantId);

    return { previous: previous ? toMessage(previous) : null };
  }
}

function requireTenant(tenantId: string | undefined): string {
  const trimmed = tenantId?.trim() ?? '';
  if (trimmed === '') throw AuditLogException.invalid('tenant_id', 'is required');

  return trimmed;
}

/** A price as sent over gRPC, validated: empty optional prices mean "same as the base price". */
function fromMessage(message: ModelPriceMessage | undefined): ModelPrice {
  const parsed = ModelPriceSchema.safeParse({
    model: (message?.model ?? '').trim().toLowerCase(),
    input: message?.inputPerMtok,
    output: message?.outputPerMtok,
    cachedInput: message?.cachedInputPerMtok || undefined,
    reasoning: message?.reasoningPerMtok || undefined,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw AuditLogException.invalid(`price.${issue.path.join('.')}`, issue.message);
  }

  return parsed.data;
}

function toMessage(price: ModelPrice): ModelPriceMessage {
  return {
    model: price.model,
    provider: price.provider ?? '',
    inputPerMtok: price.input,
    cachedInputPerMtok: price.cachedInput ?? '',
    outputPerMtok: price.output,
    reasoningPerMtok: price.reasoning ?? '',
  };
}

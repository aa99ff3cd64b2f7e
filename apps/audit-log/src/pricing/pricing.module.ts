import { Module } from '@nestjs/common';

import { PriceBook } from './price-book.service';
import { PriceOverridesRepository } from './price-overrides.repository';
import { PricesGrpcController } from './prices.grpc.controller';

/** Prices: the shipped table, the tenants' overrides, and the pricing of recorded requests. */
@Module({
  controllers: [PricesGrpcController],
  providers: [PriceOverridesRepository, PriceBook],
  exports: [PriceBook],
})
export class PricingModule {}

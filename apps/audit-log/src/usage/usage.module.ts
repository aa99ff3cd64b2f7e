import { Module } from '@nestjs/common';

import { UsageQueryService } from './usage-query.service';
import { UsageGrpcController } from './usage.grpc.controller';

/** Usage and cost queries over the rollups. */
@Module({
  controllers: [UsageGrpcController],
  providers: [UsageQueryService],
})
export class UsageModule {}

import { Module } from '@nestjs/common';

import { RequestEventsModule } from '../request-events/request-events.module';
import { AuditQueryGrpcController } from './audit-query.grpc.controller';
import { AuditQueryService } from './audit-query.service';

/** Reads of the trail over gRPC. */
@Module({
  imports: [RequestEventsModule],
  controllers: [AuditQueryGrpcController],
  providers: [AuditQueryService],
})
export class QueryModule {}

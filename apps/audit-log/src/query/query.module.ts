import { Module } from '@nestjs/common';

import { RequestEventsModule } from '../request-events/request-events.module';
import { AuditQueryGrpcController } from './audit-query.grpc.controller';
import { AuditQueryService } from './audit-query.service';
import { TrailEventsGrpcController } from './trail-events.grpc.controller';
import { TrailEventsQueryService } from './trail-events-query.service';
import { TrailEventsRepository } from './trail-events.repository';

/** Reads of the trail (requests, key uses, management changes) over gRPC. */
@Module({
  imports: [RequestEventsModule],
  controllers: [AuditQueryGrpcController, TrailEventsGrpcController],
  providers: [AuditQueryService, TrailEventsQueryService, TrailEventsRepository],
})
export class QueryModule {}

import { Controller, UseFilters, UseGuards } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { ServiceTokenGuard } from '@xai/common';
import type {
  QueryChangesRequest,
  QueryChangesResponse,
  QueryKeyUsesRequest,
  QueryKeyUsesResponse,
} from '@xai/contracts';

import { AuditLogGrpcExceptionFilter } from '../errors/grpc-exception.filter';
import { TrailEventsQueryService } from './trail-events-query.service';

/** QueryKeyUses and QueryChanges. */
@Controller()
@UseFilters(AuditLogGrpcExceptionFilter)
@UseGuards(ServiceTokenGuard)
export class TrailEventsGrpcController {
  constructor(private readonly queries: TrailEventsQueryService) {}

  @GrpcMethod('AuditLogService', 'QueryKeyUses')
  queryKeyUses(request: QueryKeyUsesRequest): Promise<QueryKeyUsesResponse> {
    return this.queries.keyUses(request);
  }

  @GrpcMethod('AuditLogService', 'QueryChanges')
  queryChanges(request: QueryChangesRequest): Promise<QueryChangesResponse> {
    return this.queries.changes(request);
  }
}

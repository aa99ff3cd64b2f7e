import { Controller, UseFilters, UseGuards } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { ServiceTokenGuard } from '@xai/common';
import type { QueryUsageRequest, QueryUsageResponse } from '@xai/contracts';

import { AuditLogGrpcExceptionFilter } from '../errors/grpc-exception.filter';
import { UsageQueryService } from './usage-query.service';

/** QueryUsage. */
@Controller()
@UseFilters(AuditLogGrpcExceptionFilter)
@UseGuards(ServiceTokenGuard)
export class UsageGrpcController {
  constructor(private readonly usage: UsageQueryService) {}

  @GrpcMethod('AuditLogService', 'QueryUsage')
  queryUsage(request: QueryUsageRequest): Promise<QueryUsageResponse> {
    return this.usage.query(request);
  }
}

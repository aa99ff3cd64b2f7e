import { Controller, UseFilters, UseGuards } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { ServiceTokenGuard } from '@xai/common';
import type { QueryAuditRequest, QueryAuditResponse } from '@xai/contracts';

import { AuditLogGrpcExceptionFilter } from '../errors/grpc-exception.filter';
import { AuditQueryService } from './audit-query.service';

/** QueryAudit. */
@Controller()
@UseFilters(AuditLogGrpcExceptionFilter)
@UseGuards(ServiceTokenGuard)
export class AuditQueryGrpcController {
  constructor(private readonly queries: AuditQueryService) {}

  @GrpcMethod('AuditLogService', 'QueryAudit')
  queryAudit(request: QueryAuditRequest): Promise<QueryAuditResponse> {
    return this.queries.query(request);
  }
}

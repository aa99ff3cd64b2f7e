import { Controller, UseFilters, UseGuards } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { ServiceTokenGuard } from '@xai/common';
import type { VerifyAuditRequest, VerifyAuditResponse } from '@xai/contracts';

import { AuditLogGrpcExceptionFilter } from '../errors/grpc-exception.filter';
import { ChainVerifier } from './chain-verifier';

/** VerifyAudit. */
@Controller()
@UseFilters(AuditLogGrpcExceptionFilter)
@UseGuards(ServiceTokenGuard)
export class VerifyGrpcController {
  constructor(private readonly verifier: ChainVerifier) {}

  @GrpcMethod('AuditLogService', 'VerifyAudit')
  verifyAudit(request: VerifyAuditRequest): Promise<VerifyAuditResponse> {
    return this.verifier.verify(request.tenantId?.trim() || undefined, { full: request.full });
  }
}

import { Controller, UseFilters } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { VerifyAuditRequest, VerifyAuditResponse } from '@xai/contracts';

import { AuditLogGrpcExceptionFilter } from '../errors/grpc-exception.filter';
import { ChainVerifier } from './chain-verifier';

/** VerifyAudit. */
@Controller()
@UseFilters(AuditLogGrpcExceptionFilter)
export class VerifyGrpcController {
  constructor(private readonly verifier: ChainVerifier) {}

  @GrpcMethod('AuditLogService', 'VerifyAudit')
  verifyAudit(request: VerifyAuditRequest): Promise<VerifyAuditResponse> {
    return this.verifier.verify(request.tenantId?.trim() || undefined);
  }
}

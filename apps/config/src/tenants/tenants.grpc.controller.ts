import { Controller, UseFilters } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import {
  GetTenantConfigRequest,
  GetTenantConfigResponse,
  UpdateTenantConfigRequest,
  UpdateTenantConfigResponse,
} from '@xai/contracts';

import { ConfigGrpcExceptionFilter } from '../errors/grpc-exception.filter';
import { TenantsService } from './tenants.service';

/** GetTenantConfig and UpdateTenantConfig. */
@Controller()
@UseFilters(ConfigGrpcExceptionFilter)
export class TenantsGrpcController {
  constructor(private readonly tenants: TenantsService) {}

  @GrpcMethod('ConfigService', 'GetTenantConfig')
  getTenantConfig(request: GetTenantConfigRequest): Promise<GetTenantConfigResponse> {
    return this.tenants.getConfig(request);
  }

  @GrpcMethod('ConfigService', 'UpdateTenantConfig')
  updateTenantConfig(request: UpdateTenantConfigRequest): Promise<UpdateTenantConfigResponse> {
    return this.tenants.updateConfig(request);
  }
}

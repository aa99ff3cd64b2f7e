import { Controller, UseFilters, UseGuards } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { ServiceTokenGuard } from '@xai/common';
import {
  DeleteTenantRequest,
  DeleteTenantResponse,
  GetTenantConfigRequest,
  GetTenantConfigResponse,
  UpdateTenantConfigRequest,
  UpdateTenantConfigResponse,
} from '@xai/contracts';

import { ConfigGrpcExceptionFilter } from '../errors/grpc-exception.filter';
import { TenantDeletionService } from './tenant-deletion.service';
import { TenantsService } from './tenants.service';

/** GetTenantConfig, UpdateTenantConfig and DeleteTenant. */
@Controller()
@UseFilters(ConfigGrpcExceptionFilter)
@UseGuards(ServiceTokenGuard)
export class TenantsGrpcController {
  constructor(
    private readonly tenants: TenantsService,
    private readonly deletion: TenantDeletionService,
  ) {}

  @GrpcMethod('ConfigService', 'GetTenantConfig')
  getTenantConfig(request: GetTenantConfigRequest): Promise<GetTenantConfigResponse> {
    return this.tenants.getConfig(request);
  }

  @GrpcMethod('ConfigService', 'UpdateTenantConfig')
  updateTenantConfig(request: UpdateTenantConfigRequest): Promise<UpdateTenantConfigResponse> {
    return this.tenants.updateConfig(request);
  }

  @GrpcMethod('ConfigService', 'DeleteTenant')
  deleteTenant(request: DeleteTenantRequest): Promise<DeleteTenantResponse> {
    return this.deletion.delete(request);
  }
}

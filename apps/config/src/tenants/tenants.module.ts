import { Module } from '@nestjs/common';

import { TenantChanges } from './tenant-changes.service';
import { TenantDeletionService } from './tenant-deletion.service';
import { TenantsGrpcController } from './tenants.grpc.controller';
import { TenantsRepository } from './tenants.repository';
import { TenantsService } from './tenants.service';

/** Tenants, their routing configuration, and the change-and-announce path every feature uses. */
@Module({
  controllers: [TenantsGrpcController],
  providers: [TenantsRepository, TenantChanges, TenantsService, TenantDeletionService],
  exports: [TenantsRepository, TenantChanges],
})
export class TenantsModule {}

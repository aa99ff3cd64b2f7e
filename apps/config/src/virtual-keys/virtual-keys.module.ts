import { Module } from '@nestjs/common';

import { TenantsModule } from '../tenants/tenants.module';
import { VirtualKeysGrpcController } from './virtual-keys.grpc.controller';
import { VirtualKeysRepository } from './virtual-keys.repository';
import { VirtualKeysService } from './virtual-keys.service';

/** Virtual-key records (keyed hashes only). */
@Module({
  imports: [TenantsModule],
  controllers: [VirtualKeysGrpcController],
  providers: [VirtualKeysRepository, VirtualKeysService],
  exports: [VirtualKeysRepository],
})
export class VirtualKeysModule {}

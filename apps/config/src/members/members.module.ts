import { Module } from '@nestjs/common';

import { TenantsModule } from '../tenants/tenants.module';
import { VirtualKeysModule } from '../virtual-keys/virtual-keys.module';
import { MembersGrpcController } from './members.grpc.controller';
import { MembersRepository } from './members.repository';
import { MembersService } from './members.service';

/** A tenant's members and their rules. */
@Module({
  imports: [TenantsModule, VirtualKeysModule],
  controllers: [MembersGrpcController],
  providers: [MembersRepository, MembersService],
  exports: [MembersRepository],
})
export class MembersModule {}

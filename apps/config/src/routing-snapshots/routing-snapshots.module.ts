import { Module } from '@nestjs/common';

import { MembersModule } from '../members/members.module';
import { ProviderKeysModule } from '../provider-keys/provider-keys.module';
import { TenantsModule } from '../tenants/tenants.module';
import { RoutingSnapshotsGrpcController } from './routing-snapshots.grpc.controller';
import { RoutingSnapshotsService } from './routing-snapshots.service';

/** The gateway's one-call view of a tenant's routing. */
@Module({
  imports: [TenantsModule, ProviderKeysModule, MembersModule],
  controllers: [RoutingSnapshotsGrpcController],
  providers: [RoutingSnapshotsService],
})
export class RoutingSnapshotsModule {}

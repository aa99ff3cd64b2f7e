import { Module } from '@nestjs/common';

import { TenantsModule } from '../tenants/tenants.module';
import { ProviderKeysGrpcController } from './provider-keys.grpc.controller';
import { ProviderKeysRepository } from './provider-keys.repository';
import { ProviderKeysService } from './provider-keys.service';

/** Provider-key metadata (never secrets). */
@Module({
  imports: [TenantsModule],
  controllers: [ProviderKeysGrpcController],
  providers: [ProviderKeysRepository, ProviderKeysService],
  exports: [ProviderKeysRepository],
})
export class ProviderKeysModule {}

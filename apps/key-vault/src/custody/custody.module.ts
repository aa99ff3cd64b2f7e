import { Module } from '@nestjs/common';
import { SERVICE_IDENTITY, ServiceTokenGuard } from '@xai/common';

import { KeyUseEmitter } from '../events/key-use.emitter';
import { keyVaultServiceIdentity } from '../identity/service-identity.provider';
import { KekModule } from '../kek/kek.module';
import { KeyVaultMetrics } from '../telemetry/key-vault-metrics';
import { ConfigRecordsClient } from './config-records.client';
import { CredentialSlotsService } from './credential-slots.service';
import { CustodyRecordsGrpcController } from './custody-records.grpc.controller';
import { CustodyRecordsRepository } from './custody-records.repository';
import { EnvelopeCipher } from './envelope.cipher';
import { KeyVaultGrpcController } from './key-vault.grpc.controller';
import { KeyringRepository } from './keyring.repository';
import { KeyringService } from './keyring.service';
import { ProviderKeyCiphertextRepository } from './provider-key-ciphertext.repository';
import { ProviderKeyService } from './provider-key.service';
import { SlotSweeper } from './slot-sweeper';

/** Provider-key custody: the gRPC API, the envelope, credential slots and their storage. */
@Module({
  imports: [KekModule],
  controllers: [KeyVaultGrpcController, CustodyRecordsGrpcController],
  providers: [
    ConfigRecordsClient,
    CredentialSlotsService,
    CustodyRecordsRepository,
    EnvelopeCipher,
    KeyringRepository,
    KeyringService,
    KeyUseEmitter,
    KeyVaultMetrics,
    ProviderKeyCiphertextRepository,
    ProviderKeyService,
    keyVaultServiceIdentity,
    ServiceTokenGuard,
    SlotSweeper,
  ],
  exports: [EnvelopeCipher, SERVICE_IDENTITY, ServiceTokenGuard],
})
export class CustodyModule {}

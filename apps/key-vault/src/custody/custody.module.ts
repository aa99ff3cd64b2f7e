import { Module } from '@nestjs/common';

import { KeyUseEmitter } from '../events/key-use.emitter';
import { ServiceTokenGuard } from '../identity/service-token.guard';
import { KekModule } from '../kek/kek.module';
import { CredentialSlotsService } from './credential-slots.service';
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
  controllers: [KeyVaultGrpcController],
  providers: [
    CredentialSlotsService,
    EnvelopeCipher,
    KeyringRepository,
    KeyringService,
    KeyUseEmitter,
    ProviderKeyCiphertextRepository,
    ProviderKeyService,
    ServiceTokenGuard,
    SlotSweeper,
  ],
  exports: [EnvelopeCipher, ServiceTokenGuard],
})
export class CustodyModule {}

import { Module } from '@nestjs/common';

import { KekModule } from '../kek/kek.module';
import { EnvelopeCipher } from './envelope.cipher';
import { KeyVaultGrpcController } from './key-vault.grpc.controller';
import { KeyringRepository } from './keyring.repository';
import { KeyringService } from './keyring.service';
import { ProviderKeyCiphertextRepository } from './provider-key-ciphertext.repository';
import { ProviderKeyService } from './provider-key.service';

/** Provider-key custody: the gRPC API, the envelope and its storage. */
@Module({
  imports: [KekModule],
  controllers: [KeyVaultGrpcController],
  providers: [
    EnvelopeCipher,
    KeyringRepository,
    KeyringService,
    ProviderKeyCiphertextRepository,
    ProviderKeyService,
  ],
})
export class CustodyModule {}

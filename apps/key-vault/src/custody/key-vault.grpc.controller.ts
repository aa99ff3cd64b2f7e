import { Controller, UseFilters } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { runWithRequestContext } from '@xai/common';
import type {
  DecryptProviderKeyResponse,
  DestroyProviderKeyResponse,
  EncryptProviderKeyResponse,
} from '@xai/contracts';

import { KeyVaultRpcExceptionFilter } from '../errors/key-vault-rpc.exception-filter';
import {
  DecryptProviderKeyRequestSchema,
  DestroyProviderKeyRequestSchema,
  EncryptProviderKeyRequestSchema,
  parseRequest,
} from './dto/provider-key.requests';
import { ProviderKeyService } from './provider-key.service';

/** The `xai.keyvault.v1.KeyVaultService` gRPC API. */
@Controller()
@UseFilters(KeyVaultRpcExceptionFilter)
export class KeyVaultGrpcController {
  constructor(private readonly providerKeys: ProviderKeyService) {}

  @GrpcMethod('KeyVaultService', 'EncryptProviderKey')
  async encryptProviderKey(request: unknown): Promise<EncryptProviderKeyResponse> {
    return this.providerKeys.encrypt(parseRequest(EncryptProviderKeyRequestSchema, request));
  }

  @GrpcMethod('KeyVaultService', 'DecryptProviderKey')
  async decryptProviderKey(request: unknown): Promise<DecryptProviderKeyResponse> {
    const input = parseRequest(DecryptProviderKeyRequestSchema, request);

    return runWithRequestContext({ requestId: input.requestId }, () =>
      this.providerKeys.decrypt(input),
    );
  }

  @GrpcMethod('KeyVaultService', 'DestroyProviderKey')
  async destroyProviderKey(request: unknown): Promise<DestroyProviderKeyResponse> {
    return this.providerKeys.destroy(parseRequest(DestroyProviderKeyRequestSchema, request));
  }
}

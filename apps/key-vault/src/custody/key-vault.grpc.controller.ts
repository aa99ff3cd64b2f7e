import { Controller, UseFilters, UseGuards } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { ServiceTokenGuard, runWithRequestContext } from '@xai/common';
import type {
  AddCredentialSlotResponse,
  CreateKeyringResponse,
  DecryptProviderKeyResponse,
  DestroyProviderKeyResponse,
  DestroyTenantResponse,
  EncryptProviderKeyResponse,
  RemoveCredentialSlotResponse,
} from '@xai/contracts';

import { KeyVaultRpcExceptionFilter } from '../errors/key-vault-rpc.exception-filter';
import { CredentialSlotsService } from './credential-slots.service';
import {
  AddCredentialSlotRequestSchema,
  CreateKeyringRequestSchema,
  DestroyTenantRequestSchema,
  RemoveCredentialSlotRequestSchema,
} from './dto/keyring.requests';
import {
  DecryptProviderKeyRequestSchema,
  DestroyProviderKeyRequestSchema,
  EncryptProviderKeyRequestSchema,
  parseRequest,
} from './dto/provider-key.requests';
import { ProviderKeyService } from './provider-key.service';

/** The custody RPCs of `xai.keyvault.v1.KeyVaultService`; only the gateway may call them. */
@Controller()
@UseFilters(KeyVaultRpcExceptionFilter)
@UseGuards(ServiceTokenGuard)
export class KeyVaultGrpcController {
  constructor(
    private readonly providerKeys: ProviderKeyService,
    private readonly slots: CredentialSlotsService,
  ) {}

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

  @GrpcMethod('KeyVaultService', 'CreateKeyring')
  async createKeyring(request: unknown): Promise<CreateKeyringResponse> {
    const { tenantId, credentials } = parseRequest(CreateKeyringRequestSchema, request);

    return this.slots.createKeyring(tenantId, credentials);
  }

  @GrpcMethod('KeyVaultService', 'AddCredentialSlot')
  async addCredentialSlot(request: unknown): Promise<AddCredentialSlotResponse> {
    const input = parseRequest(AddCredentialSlotRequestSchema, request);

    return this.slots.addSlot(input.tenantId, input.credential, input.newCredential);
  }

  @GrpcMethod('KeyVaultService', 'RemoveCredentialSlot')
  async removeCredentialSlot(request: unknown): Promise<RemoveCredentialSlotResponse> {
    const input = parseRequest(RemoveCredentialSlotRequestSchema, request);

    return this.slots.removeSlot(
      input.tenantId,
      input.slotId,
      input.graceSeconds,
      input.credential,
    );
  }

  @GrpcMethod('KeyVaultService', 'DestroyTenant')
  async destroyTenant(request: unknown): Promise<DestroyTenantResponse> {
    const { credential, ...input } = parseRequest(DestroyTenantRequestSchema, request);

    return runWithRequestContext({ requestId: input.requestId }, () =>
      this.slots.destroyTenant(input, credential),
    );
  }
}

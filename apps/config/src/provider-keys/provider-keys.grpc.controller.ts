import { Controller, UseFilters, UseGuards } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { ServiceTokenGuard } from '@xai/common';
import {
  CreateProviderKeyRequest,
  CreateProviderKeyResponse,
  DeleteProviderKeyRequest,
  DeleteProviderKeyResponse,
  ListProviderKeysRequest,
  ListProviderKeysResponse,
  UpdateProviderKeyRequest,
  UpdateProviderKeyResponse,
} from '@xai/contracts';

import { ConfigGrpcExceptionFilter } from '../errors/grpc-exception.filter';
import { ProviderKeysService } from './provider-keys.service';

/** Create, List, Update and DeleteProviderKey. */
@Controller()
@UseFilters(ConfigGrpcExceptionFilter)
@UseGuards(ServiceTokenGuard)
export class ProviderKeysGrpcController {
  constructor(private readonly providerKeys: ProviderKeysService) {}

  @GrpcMethod('ConfigService', 'CreateProviderKey')
  createProviderKey(request: CreateProviderKeyRequest): Promise<CreateProviderKeyResponse> {
    return this.providerKeys.create(request);
  }

  @GrpcMethod('ConfigService', 'ListProviderKeys')
  listProviderKeys(request: ListProviderKeysRequest): Promise<ListProviderKeysResponse> {
    return this.providerKeys.list(request);
  }

  @GrpcMethod('ConfigService', 'UpdateProviderKey')
  updateProviderKey(request: UpdateProviderKeyRequest): Promise<UpdateProviderKeyResponse> {
    return this.providerKeys.update(request);
  }

  @GrpcMethod('ConfigService', 'DeleteProviderKey')
  deleteProviderKey(request: DeleteProviderKeyRequest): Promise<DeleteProviderKeyResponse> {
    return this.providerKeys.delete(request);
  }
}

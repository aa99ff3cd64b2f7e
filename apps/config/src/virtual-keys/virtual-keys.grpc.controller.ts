import { Controller, UseFilters } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import {
  BootstrapOwnerRequest,
  BootstrapOwnerResponse,
  ResolveVirtualKeyRequest,
  ResolveVirtualKeyResponse,
} from '@xai/contracts';

import { ConfigGrpcExceptionFilter } from '../errors/grpc-exception.filter';
import { VirtualKeysService } from './virtual-keys.service';

/** BootstrapOwner and ResolveVirtualKey. */
@Controller()
@UseFilters(ConfigGrpcExceptionFilter)
export class VirtualKeysGrpcController {
  constructor(private readonly virtualKeys: VirtualKeysService) {}

  @GrpcMethod('ConfigService', 'BootstrapOwner')
  bootstrapOwner(request: BootstrapOwnerRequest): Promise<BootstrapOwnerResponse> {
    return this.virtualKeys.bootstrapOwner(request);
  }

  @GrpcMethod('ConfigService', 'ResolveVirtualKey')
  resolveVirtualKey(request: ResolveVirtualKeyRequest): Promise<ResolveVirtualKeyResponse> {
    return this.virtualKeys.resolve(request);
  }
}

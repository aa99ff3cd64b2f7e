import { Controller, UseFilters, UseGuards } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { ServiceTokenGuard } from '@xai/common';
import {
  BootstrapOwnerRequest,
  BootstrapOwnerResponse,
  IssueVirtualKeyRequest,
  IssueVirtualKeyResponse,
  ListVirtualKeysRequest,
  ListVirtualKeysResponse,
  ResolveVirtualKeyRequest,
  ResolveVirtualKeyResponse,
  RevokeVirtualKeyRequest,
  RevokeVirtualKeyResponse,
} from '@xai/contracts';

import { ConfigGrpcExceptionFilter } from '../errors/grpc-exception.filter';
import { VirtualKeysService } from './virtual-keys.service';

/** BootstrapOwner, ResolveVirtualKey, IssueVirtualKey, RevokeVirtualKey and ListVirtualKeys. */
@Controller()
@UseFilters(ConfigGrpcExceptionFilter)
@UseGuards(ServiceTokenGuard)
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

  @GrpcMethod('ConfigService', 'IssueVirtualKey')
  issueVirtualKey(request: IssueVirtualKeyRequest): Promise<IssueVirtualKeyResponse> {
    return this.virtualKeys.issue(request);
  }

  @GrpcMethod('ConfigService', 'RevokeVirtualKey')
  revokeVirtualKey(request: RevokeVirtualKeyRequest): Promise<RevokeVirtualKeyResponse> {
    return this.virtualKeys.revoke(request);
  }

  @GrpcMethod('ConfigService', 'ListVirtualKeys')
  listVirtualKeys(request: ListVirtualKeysRequest): Promise<ListVirtualKeysResponse> {
    return this.virtualKeys.list(request);
  }
}

import { Controller, UseFilters, UseGuards } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { ServiceTokenGuard } from '@xai/common';
import {
  CreateMemberRequest,
  CreateMemberResponse,
  DeleteMemberRequest,
  DeleteMemberResponse,
  ListMembersRequest,
  ListMembersResponse,
  UpdateMemberRequest,
  UpdateMemberResponse,
} from '@xai/contracts';

import { ConfigGrpcExceptionFilter } from '../errors/grpc-exception.filter';
import { MembersService } from './members.service';

/** Create, List, Update and DeleteMember. */
@Controller()
@UseFilters(ConfigGrpcExceptionFilter)
@UseGuards(ServiceTokenGuard)
export class MembersGrpcController {
  constructor(private readonly members: MembersService) {}

  @GrpcMethod('ConfigService', 'CreateMember')
  createMember(request: CreateMemberRequest): Promise<CreateMemberResponse> {
    return this.members.create(request);
  }

  @GrpcMethod('ConfigService', 'ListMembers')
  listMembers(request: ListMembersRequest): Promise<ListMembersResponse> {
    return this.members.list(request);
  }

  @GrpcMethod('ConfigService', 'UpdateMember')
  updateMember(request: UpdateMemberRequest): Promise<UpdateMemberResponse> {
    return this.members.update(request);
  }

  @GrpcMethod('ConfigService', 'DeleteMember')
  deleteMember(request: DeleteMemberRequest): Promise<DeleteMemberResponse> {
    return this.members.delete(request);
  }
}

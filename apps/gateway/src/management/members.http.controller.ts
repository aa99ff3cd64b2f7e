import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Put,
  UseGuards,
} from '@nestjs/common';

import { Caller } from '../auth/caller';
import { CurrentCaller, OwnerGuard } from '../auth/owner.guard';
import {
  CreateMemberBodySchema,
  MemberView,
  UpdateMemberBodySchema,
  toMemberView,
} from './dto/member.dto';
import { MembersService } from './members.service';
import { parseBody } from './parse-body';

/**
 * `/x-users` (owner only): the tenant's members. A member's virtual keys are issued with
 * `POST /x-virtual-keys` and `MemberID`; its `ModelMapper` rules are tried before the owner's
 * on its keys' calls. Bad rules are refused naming the item.
 */
@Controller('x-users')
@UseGuards(OwnerGuard)
export class MembersHttpController {
  constructor(private readonly members: MembersService) {}

  @Post()
  @HttpCode(201)
  async create(@CurrentCaller() caller: Caller, @Body() body: unknown): Promise<MemberView> {
    const input = parseBody(CreateMemberBodySchema, body);

    return toMemberView(await this.members.create(caller, input));
  }

  @Get()
  async list(@CurrentCaller() caller: Caller): Promise<{ data: MemberView[] }> {
    const members = await this.members.list(caller);

    return { data: members.map(toMemberView) };
  }

  @Put(':id')
  async update(
    @CurrentCaller() caller: Caller,
    @Param('id') id: string,
    @Body() body: unknown,
  ): Promise<MemberView> {
    const input = parseBody(UpdateMemberBodySchema, body);

    return toMemberView(await this.members.update(caller, id, input));
  }

  @Delete(':id')
  @HttpCode(200)
  async delete(
    @CurrentCaller() caller: Caller,
    @Param('id') id: string,
  ): Promise<{ ID: string; Deleted: true; RevokedVirtualKeys: string[] }> {
    const revoked = await this.members.delete(caller, id);

    return { ID: id, Deleted: true, RevokedVirtualKeys: revoked };
  }
}

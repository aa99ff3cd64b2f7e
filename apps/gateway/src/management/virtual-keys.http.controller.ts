import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Req,
  UseGuards,
} from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

import { Caller } from '../auth/caller';
import { CurrentCaller, OwnerGuard } from '../auth/owner.guard';
import {
  IssueVirtualKeyBodySchema,
  IssuedVirtualKeyView,
  RotateSelfBodySchema,
  VirtualKeyView,
  roleOf,
  toVirtualKeyView,
} from './dto/virtual-key.dto';
import { parseBody } from './parse-body';
import { VirtualKeysService } from './virtual-keys.service';

/**
 * The tenant's virtual keys (owner only): `/x-virtual-keys` to issue, list and revoke,
 * `/x-self/rotate` to replace the caller's own key, `/x-recovery-code` for a new recovery code.
 * A key's secret is in the answer that issues it, and nowhere else, ever.
 */
@Controller()
@UseGuards(OwnerGuard)
export class VirtualKeysHttpController {
  constructor(private readonly virtualKeys: VirtualKeysService) {}

  @Post('x-virtual-keys')
  @HttpCode(201)
  async issue(
    @CurrentCaller() caller: Caller,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
  ): Promise<IssuedVirtualKeyView> {
    const input = parseBody(IssueVirtualKeyBodySchema, body);
    const { secret, record } = await this.virtualKeys.issue(
      caller,
      { name: input.Name, role: roleOf(input.Role), memberId: input.MemberID?.toLowerCase() },
      request.id,
    );

    return { ...toVirtualKeyView(record), Key: secret };
  }

  @Get('x-virtual-keys')
  async list(@CurrentCaller() caller: Caller): Promise<{ data: VirtualKeyView[] }> {
    const keys = await this.virtualKeys.list(caller);

    return { data: keys.map(toVirtualKeyView) };
  }

  @Delete('x-virtual-keys/:id')
  @HttpCode(200)
  async revoke(
    @CurrentCaller() caller: Caller,
    @Param('id') id: string,
    @Req() request: FastifyRequest,
  ): Promise<{ ID: string; Revoked: true }> {
    await this.virtualKeys.revoke(caller, id, request.id);

    return { ID: id, Revoked: true };
  }

  @Post('x-self/rotate')
  @HttpCode(201)
  async rotateSelf(
    @CurrentCaller() caller: Caller,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
  ): Promise<IssuedVirtualKeyView & { Previous: VirtualKeyView }> {
    const input = parseBody(RotateSelfBodySchema, body ?? {});
    const { issued, previous } = await this.virtualKeys.rotateSelf(
      caller,
      input.GracePeriodSeconds,
      request.id,
    );

    return {
      ...toVirtualKeyView(issued.record),
      Key: issued.secret,
      Previous: toVirtualKeyView(previous),
    };
  }

  @Post('x-recovery-code')
  @HttpCode(201)
  async replaceRecoveryCode(
    @CurrentCaller() caller: Caller,
    @Req() request: FastifyRequest,
  ): Promise<VirtualKeyView & { RecoveryCode: string }> {
    const { secret, record } = await this.virtualKeys.replaceRecoveryCode(caller, request.id);

    return { ...toVirtualKeyView(record), RecoveryCode: secret };
  }
}

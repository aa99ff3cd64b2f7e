import { Body, Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

import { Caller } from '../auth/caller';
import { CurrentCaller } from '../auth/owner.guard';
import { RecoveryGuard } from '../auth/recovery.guard';
import { IssuedVirtualKeyView, RecoverBodySchema, toVirtualKeyView } from './dto/virtual-key.dto';
import { parseBody } from './parse-body';
import { VirtualKeysService } from './virtual-keys.service';

/**
 * `POST /x-recover` with `Authorization: Bearer <recovery code>`: issues a new owner key when
 * every other key is lost. The recovery code's own slot opens the tenant's DEK for the new
 * key's slot. A code works once: the answer carries the new owner key and the next recovery
 * code (each shown this once), and the code used is revoked with its slot.
 */
@Controller()
@UseGuards(RecoveryGuard)
export class VirtualKeysRecoveryHttpController {
  constructor(private readonly virtualKeys: VirtualKeysService) {}

  @Post('x-recover')
  @HttpCode(201)
  async recover(
    @CurrentCaller() caller: Caller,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
  ): Promise<IssuedVirtualKeyView & { RecoveryCode: string }> {
    const input = parseBody(RecoverBodySchema, body ?? {});
    const { owner, recoveryCode } = await this.virtualKeys.recover(caller, input.Name, request.id);

    return {
      ...toVirtualKeyView(owner.record),
      Key: owner.secret,
      RecoveryCode: recoveryCode.secret,
    };
  }
}

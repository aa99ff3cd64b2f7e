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
 * key's slot; the code stays valid until replaced (`POST /x-recovery-code`).
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
  ): Promise<IssuedVirtualKeyView> {
    const input = parseBody(RecoverBodySchema, body ?? {});
    const { secret, record } = await this.virtualKeys.issue(
      caller,
      { name: input.Name, role: 'VIRTUAL_KEY_ROLE_OWNER' },
      request.id,
    );

    return { ...toVirtualKeyView(record), Key: secret };
  }
}

import { Body, Controller, Delete, HttpCode, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';

import { Caller } from '../auth/caller';
import { CurrentCaller, OwnerGuard } from '../auth/owner.guard';
import { parseBody } from './parse-body';
import { TenantDeletionService } from './tenant-deletion.service';

const DeleteTenantBodySchema = z.object({ Confirm: z.string() }).strict();

/** `DELETE /x-tenant` (owner only): deletes the tenant and crypto-shreds its keys. */
@Controller('x-tenant')
@UseGuards(OwnerGuard)
export class TenantHttpController {
  constructor(private readonly deletion: TenantDeletionService) {}

  @Delete()
  @HttpCode(200)
  async delete(
    @CurrentCaller() caller: Caller,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
  ): Promise<Record<string, unknown>> {
    const { Confirm } = parseBody(DeleteTenantBodySchema, body ?? {});
    const { keyring, config } = await this.deletion.delete(caller, Confirm, request.id);

    return {
      TenantID: caller.tenantId,
      Deleted: true,
      SlotsDestroyed: keyring.slotsDestroyed,
      CiphertextsDestroyed: keyring.ciphertextsDestroyed,
      VirtualKeysDeleted: config.virtualKeysDeleted,
      ProviderKeysDeleted: config.providerKeysDeleted,
    };
  }
}

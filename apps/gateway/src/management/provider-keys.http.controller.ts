import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Put,
  Req,
  UseGuards,
} from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

import { Caller } from '../auth/caller';
import { CurrentCaller, OwnerGuard } from '../auth/owner.guard';
import {
  CreateProviderKeyBodySchema,
  ProviderKeyView,
  UpdateProviderKeyBodySchema,
  toProviderKeyView,
} from './dto/provider-key.dto';
import { parseBody } from './parse-body';
import { ProviderKeysService } from './provider-keys.service';

/** `/x-keys`: the tenant's provider keys (owner only). Secrets go in, never come out. */
@Controller('x-keys')
@UseGuards(OwnerGuard)
export class ProviderKeysHttpController {
  constructor(private readonly keys: ProviderKeysService) {}

  @Post()
  @HttpCode(201)
  async create(@CurrentCaller() caller: Caller, @Body() body: unknown): Promise<ProviderKeyView> {
    const input = parseBody(CreateProviderKeyBodySchema, body);

    return toProviderKeyView(await this.keys.create(caller, input));
  }

  @Get()
  async list(@CurrentCaller() caller: Caller): Promise<{ data: ProviderKeyView[] }> {
    const keys = await this.keys.list(caller);

    return { data: keys.map(toProviderKeyView) };
  }

  @Put(':id')
  async update(
    @CurrentCaller() caller: Caller,
    @Param('id') id: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
  ): Promise<ProviderKeyView> {
    const input = parseBody(UpdateProviderKeyBodySchema, body);

    return toProviderKeyView(await this.keys.update(caller, id, input, request.id));
  }

  @Delete(':id')
  @HttpCode(200)
  async remove(
    @CurrentCaller() caller: Caller,
    @Param('id') id: string,
  ): Promise<{ ID: string; Deleted: true }> {
    await this.keys.remove(caller, id);

    return { ID: id, Deleted: true };
  }
}

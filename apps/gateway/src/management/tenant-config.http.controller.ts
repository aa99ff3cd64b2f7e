import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';

import { Caller } from '../auth/caller';
import { CurrentCaller, OwnerGuard } from '../auth/owner.guard';
import { ServiceClients, fromGrpcError } from '../clients/service-clients';
import {
  TenantConfigView,
  UpdateTenantConfigBodySchema,
  toTenantConfigView,
} from './dto/tenant-config.dto';
import { parseBody } from './parse-body';

/** `/x-conf`: the tenant's routing rules (owner only). Bad rules are refused naming the item. */
@Controller('x-conf')
@UseGuards(OwnerGuard)
export class TenantConfigHttpController {
  constructor(private readonly clients: ServiceClients) {}

  @Get()
  async get(@CurrentCaller() caller: Caller): Promise<TenantConfigView> {
    try {
      const { config } = await this.clients.config.call('getTenantConfig', {
        tenantId: caller.tenantId,
      });

      return toTenantConfigView(config);
    } catch (error) {
      throw fromGrpcError(error, 'read the configuration');
    }
  }

  @Post()
  @HttpCode(200)
  async update(@CurrentCaller() caller: Caller, @Body() body: unknown): Promise<TenantConfigView> {
    const input = parseBody(UpdateTenantConfigBodySchema, body);
    try {
      const { config } = await this.clients.config.call('updateTenantConfig', {
        tenantId: caller.tenantId,
        levelMapper: input.LevelMapper,
        modelMapper: input.ModelMapper,
        switchOver: input.SwitchOver,
        defaultLevel: input.DefaultLevel,
      });

      return toTenantConfigView(config);
    } catch (error) {
      throw fromGrpcError(error, 'save the configuration');
    }
  }
}

import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';

import { ManagementAudit, tenantConfigState } from '../audit/management-audit';
import { Caller } from '../auth/caller';
import { CurrentCaller, OwnerGuard } from '../auth/owner.guard';
import { ServiceClients, fromGrpcError } from '../clients/service-clients';
import { KeyHealthService } from '../health/key-health.service';
import { TenantRoutingCache } from '../routing/tenant-routing.cache';
import { KeyHealthView, toKeyHealthView } from './dto/key-health.dto';
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
  constructor(
    private readonly clients: ServiceClients,
    private readonly routing: TenantRoutingCache,
    private readonly health: KeyHealthService,
    private readonly audit: ManagementAudit,
  ) {}

  /** The rules, and the keys set aside right now (sleeping or dead) as every replica sees them. */
  @Get()
  async get(
    @CurrentCaller() caller: Caller,
  ): Promise<TenantConfigView & { KeyHealth: KeyHealthView }> {
    try {
      const { config } = await this.clients.config.call('getTenantConfig', {
        tenantId: caller.tenantId,
      });

      return { ...toTenantConfigView(config), KeyHealth: await this.keyHealth(caller.tenantId) };
    } catch (error) {
      throw fromGrpcError(error, 'read the configuration');
    }
  }

  private async keyHealth(tenantId: string): Promise<KeyHealthView> {
    const keys = (await this.routing.get(tenantId)).allKeys();
    const records = await this.health.records(keys);
    const statuses = await this.health.statuses(keys);

    return toKeyHealthView(keys, records, statuses);
  }

  @Post()
  @HttpCode(200)
  async update(@CurrentCaller() caller: Caller, @Body() body: unknown): Promise<TenantConfigView> {
    const input = parseBody(UpdateTenantConfigBodySchema, body);
    const before = await this.clients.config
      .call('getTenantConfig', { tenantId: caller.tenantId })
      .then(
        ({ config }) => tenantConfigState(config),
        () => null,
      );
    try {
      const { config } = await this.clients.config.call('updateTenantConfig', {
        tenantId: caller.tenantId,
        levelMapper: input.LevelMapper,
        modelMapper: input.ModelMapper,
        switchOver: input.SwitchOver,
        defaultLevel: input.DefaultLevel,
      });
      this.audit.record(caller, {
        resource: 'tenant_config',
        resourceId: null,
        action: 'update',
        before,
        after: tenantConfigState(config),
      });

      return toTenantConfigView(config);
    } catch (error) {
      throw fromGrpcError(error, 'save the configuration');
    }
  }
}

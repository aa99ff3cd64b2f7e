import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { HealthModule } from '@xai/common';

import { AuditEmitter } from './audit/audit-emitter';
import { OwnerGuard } from './auth/owner.guard';
import { VirtualKeyAuthenticator } from './auth/virtual-key.authenticator';
import { OwnerBootstrapService } from './bootstrap/owner-bootstrap.service';
import { ServiceClients } from './clients/service-clients';
import { ProviderSecretStore } from './custody/provider-secret.store';
import { OpenAiExceptionFilter } from './errors/openai-exception.filter';
import { GATEWAY_CONFIG, GatewayConfig } from './gateway.config';
import { AuditHttpController } from './management/audit.http.controller';
import { ProviderKeysHttpController } from './management/provider-keys.http.controller';
import { ProviderKeysService } from './management/provider-keys.service';
import { TenantConfigHttpController } from './management/tenant-config.http.controller';
import { ModelsService } from './proxy/models.service';
import { OpenAiProxyService } from './proxy/openai-proxy.service';
import { UpstreamAttempts } from './proxy/upstream-attempts';
import { UpstreamClient } from './proxy/upstream.client';
import { ConfigChangeListener } from './routing/config-change.listener';
import { RoutePlanner } from './routing/route-planner';
import { TenantRoutingCache } from './routing/tenant-routing.cache';

/** The gateway: public `/v1` API, management `/x-*` API, and the caches of the hot path. */
@Module({})
export class GatewayModule {
  static forConfig(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [HealthModule],
      controllers: [ProviderKeysHttpController, TenantConfigHttpController, AuditHttpController],
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        { provide: APP_FILTER, useClass: OpenAiExceptionFilter },
        ServiceClients,
        VirtualKeyAuthenticator,
        OwnerGuard,
        OwnerBootstrapService,
        TenantRoutingCache,
        RoutePlanner,
        ProviderSecretStore,
        UpstreamClient,
        UpstreamAttempts,
        AuditEmitter,
        ModelsService,
        OpenAiProxyService,
        ProviderKeysService,
        ConfigChangeListener,
      ],
    };
  }
}

import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { HealthModule } from '@xai/common';
import { TelemetryModule } from '@xai/telemetry';

import { AuditEmitter } from './audit/audit-emitter';
import { AuditTrailHttpController } from './audit/audit-trail.http.controller';
import { TrailEventsHttpController } from './audit/trail-events.http.controller';
import { ManagementAudit } from './audit/management-audit';
import { PricesHttpController } from './audit/prices.http.controller';
import { UsageHttpController } from './audit/usage.http.controller';
import { OwnerGuard } from './auth/owner.guard';
import { RecoveryGuard } from './auth/recovery.guard';
import { VirtualKeyAuthenticator } from './auth/virtual-key.authenticator';
import { OwnerBootstrapService } from './bootstrap/owner-bootstrap.service';
import { ServiceClients } from './clients/service-clients';
import { CredentialIssuer } from './custody/credential-issuer';
import { CustodyAuditEmitter } from './custody/custody-audit.emitter';
import { CustodyJanitor } from './custody/custody-janitor';
import { CustodyJanitorQueue } from './custody/custody-janitor.queue';
import { ProviderSecretStore } from './custody/provider-secret.store';
import { TenantKeyring } from './custody/tenant-keyring';
import { OpenAiExceptionFilter } from './errors/openai-exception.filter';
import { GATEWAY_CONFIG, GatewayConfig } from './gateway.config';
import { KEY_HEALTH_PROVIDERS } from './health/key-health.providers';
import { MembersHttpController } from './management/members.http.controller';
import { ModelRefusals } from './routing/model-refusals';
import { MembersService } from './management/members.service';
import { RouteHttpController } from './management/route.http.controller';
import { ProviderKeyCustody } from './management/provider-key-custody';
import { ProviderKeysHttpController } from './management/provider-keys.http.controller';
import { ProviderKeysService } from './management/provider-keys.service';
import { ReplicaLock } from './management/replica-lock';
import { TenantConfigHttpController } from './management/tenant-config.http.controller';
import { TenantDeletionService } from './management/tenant-deletion.service';
import { TenantHttpController } from './management/tenant.http.controller';
import { VirtualKeysHttpController } from './management/virtual-keys.http.controller';
import { VirtualKeysRecoveryHttpController } from './management/virtual-keys.recovery.http.controller';
import { VirtualKeysService } from './management/virtual-keys.service';
import { CallAdmission } from './proxy/call-admission';
import { MediaProxyService } from './proxy/media-proxy.service';
import { ModelsService } from './proxy/models.service';
import { OpenAiProxyService } from './proxy/openai-proxy.service';
import { ProviderCall } from './proxy/provider-call';
import { ResponseKeyStore } from './proxy/response-key.store';
import { StoredResponsesService } from './proxy/stored-responses.service';
import { UpstreamAttempts } from './proxy/upstream-attempts';
import { UpstreamClient } from './proxy/upstream.client';
import { ConfigChangeListener } from './routing/config-change.listener';
import { ConfigStreamState } from './routing/config-stream.state';
import { RoutePlanner } from './routing/route-planner';
import { TenantRoutingCache } from './routing/tenant-routing.cache';
import { GatewayGauges } from './telemetry/gateway-gauges';
import { GatewayMetrics } from './telemetry/gateway-metrics';

/** The gateway: public `/v1` API, management `/x-*` API, and the caches of the hot path. */
@Module({})
export class GatewayModule {
  static forConfig(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [HealthModule, TelemetryModule],
      controllers: [
        ProviderKeysHttpController,
        TenantConfigHttpController,
        RouteHttpController,
        AuditTrailHttpController,
        TrailEventsHttpController,
        UsageHttpController,
        PricesHttpController,
        VirtualKeysHttpController,
        VirtualKeysRecoveryHttpController,
        TenantHttpController,
        MembersHttpController,
      ],
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        { provide: APP_FILTER, useClass: OpenAiExceptionFilter },
        ServiceClients,
        VirtualKeyAuthenticator,
        OwnerGuard,
        RecoveryGuard,
        CredentialIssuer,
        CustodyAuditEmitter,
        CustodyJanitor,
        CustodyJanitorQueue,
        TenantKeyring,
        VirtualKeysService,
        MembersService,
        ModelRefusals,
        TenantDeletionService,
        OwnerBootstrapService,
        TenantRoutingCache,
        RoutePlanner,
        ...KEY_HEALTH_PROVIDERS,
        ProviderSecretStore,
        UpstreamClient,
        ProviderCall,
        UpstreamAttempts,
        AuditEmitter,
        ManagementAudit,
        ModelsService,
        CallAdmission,
        OpenAiProxyService,
        ResponseKeyStore,
        StoredResponsesService,
        MediaProxyService,
        ProviderKeysService,
        ProviderKeyCustody,
        ReplicaLock,
        ConfigChangeListener,
        ConfigStreamState,
        GatewayMetrics,
        GatewayGauges,
      ],
    };
  }
}

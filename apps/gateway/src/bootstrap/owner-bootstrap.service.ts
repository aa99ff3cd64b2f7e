import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppLogger, ReadinessRegistry } from '@xai/common';
import type { VirtualKey } from '@xai/contracts';
import { generateVirtualKey, virtualKeyHint, virtualKeyLookupHash } from '@xai/crypto';

import { ServiceClients } from '../clients/service-clients';
import { TenantKeyring } from '../custody/tenant-keyring';
import { GATEWAY_CONFIG, GatewayConfig } from '../gateway.config';

const RETRY_MS = 1_000;

/**
 * Creates the first owner tenant on a fresh installation (DESIGN.md section 5). With
 * `XAI_BOOTSTRAP_OWNER_KEY` that key is registered (idempotent across replicas and restarts);
 * otherwise a key is generated and shown once, only if this call created the tenant. Retries
 * in the background until config answers; readiness waits for it.
 */
@Injectable()
export class OwnerBootstrapService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new AppLogger(OwnerBootstrapService.name);
  private done = false;
  private timer?: NodeJS.Timeout;
  // Kept across retries: a generated key whose tenant exists must be the one its keyring opens.
  private generated?: string;
  private createdTenant = false;

  constructor(
    private readonly clients: ServiceClients,
    private readonly readiness: ReadinessRegistry,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly keyring: TenantKeyring,
  ) {}

  onApplicationBootstrap(): void {
    this.readiness.register('bootstrap', async () => {
      if (!this.done) throw new Error('owner tenant not bootstrapped yet');
    });
    void this.attempt();
  }

  onApplicationShutdown(): void {
    clearTimeout(this.timer);
  }

  private async attempt(): Promise<void> {
    try {
      await this.bootstrap();
      this.done = true;
    } catch (error) {
      this.logger.warn('owner bootstrap waiting for config', {
        error: error instanceof Error ? error.message : String(error),
      });
      this.timer = setTimeout(() => void this.attempt(), RETRY_MS);
    }
  }

  private async bootstrap(): Promise<void> {
    const given = this.config.XAI_BOOTSTRAP_OWNER_KEY;
    this.generated ??= given ? undefined : generateVirtualKey();
    const key = given ?? this.generated ?? generateVirtualKey();
    const result = await this.clients.config.call('bootstrapOwner', {
      virtualKeyHash: virtualKeyLookupHash(key, this.config.XAI_VIRTUAL_KEY_PEPPER),
      virtualKeyHint: virtualKeyHint(key),
    });
    if (result.created)
      this.logger.info('owner tenant created', { tenantId: result.virtualKey?.tenantId });
    if (given && !result.virtualKey) {
      this.logger.warn('XAI_BOOTSTRAP_OWNER_KEY ignored: the installation already has a tenant');
    }
    this.createdTenant ||= result.created;
    await this.ensureKeyring(result.virtualKey, key, given !== undefined);
  }

  /**
   * Makes the tenant's keyring once config knows the owner key: with a given key on every start
   * (idempotent), with a generated one only after the start that created the tenant. Then shows
   * the generated owner key and the new recovery code, once.
   */
  private async ensureKeyring(
    owner: VirtualKey | null | undefined,
    key: string,
    given: boolean,
  ): Promise<void> {
    const recoveryCode =
      owner && (given || this.createdTenant)
        ? await this.keyring.ensure(owner.tenantId, owner.id, key)
        : undefined;
    if (this.createdTenant && !given) announce('owner virtual key', key);
    if (recoveryCode) {
      announce('recovery code (issues a new owner key: POST /x-recover)', recoveryCode);
    }
  }
}

/**
 * Shows a generated owner key or a recovery code exactly once. It goes to stdout as plain text rather than through
 * the logger, because log pipelines keep and forward lines, and secrets never belong in logs.
 */
function announce(what: string, secret: string): void {
  process.stdout.write(`\n  XAI Router ${what}, shown once, store it now:\n\n    ${secret}\n\n`);
}

import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppLogger, ReadinessRegistry } from '@xai/common';
import { generateVirtualKey, virtualKeyHint, virtualKeyLookupHash } from '@xai/crypto';

import { ServiceClients } from '../clients/service-clients';
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

  constructor(
    private readonly clients: ServiceClients,
    private readonly readiness: ReadinessRegistry,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
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
    const key = given ?? generateVirtualKey();
    const result = await this.clients.config.call('bootstrapOwner', {
      virtualKeyHash: virtualKeyLookupHash(key, this.config.XAI_VIRTUAL_KEY_PEPPER),
      virtualKeyHint: virtualKeyHint(key),
    });
    if (result.created && !given) announce(key);
    if (result.created)
      this.logger.info('owner tenant created', { tenantId: result.virtualKey?.tenantId });
    if (given && !result.virtualKey) {
      this.logger.warn('XAI_BOOTSTRAP_OWNER_KEY ignored: the installation already has a tenant');
    }
  }
}

/**
 * Shows a generated owner key exactly once. It goes to stdout as plain text rather than through
 * the logger, because log pipelines keep and forward lines, and secrets never belong in logs.
 */
function announce(key: string): void {
  process.stdout.write(
    `\n  XAI Router owner virtual key (shown once, store it now):\n\n    ${key}\n\n`,
  );
}

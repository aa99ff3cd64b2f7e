import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppLogger } from '@xai/common';

import { KEY_VAULT_CONFIG, KeyVaultConfig } from '../key-vault.config';
import { KeyringRepository } from './keyring.repository';

/**
 * Destroys credential slots whose grace period is over (a virtual key rotated with a grace
 * period). Expired slots already refuse to open; this removes them from the database too, so
 * that backups taken afterwards no longer hold them.
 */
@Injectable()
export class SlotSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new AppLogger(SlotSweeper.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly keyrings: KeyringRepository,
    @Inject(KEY_VAULT_CONFIG) private readonly config: KeyVaultConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(
      () => void this.sweep(),
      this.config.XAI_SLOT_SWEEP_INTERVAL_SECONDS * 1000,
    );
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Runs one sweep; resolves how many slots it destroyed (0 when the database failed). */
  async sweep(): Promise<number> {
    try {
      const destroyed = await this.keyrings.deleteExpiredSlots();
      if (destroyed > 0) this.logger.info('expired credential slots destroyed', { destroyed });

      return destroyed;
    } catch (error) {
      this.logger.warn('expired credential slots not swept', {
        error: error instanceof Error ? error.message : String(error),
      });

      return 0;
    }
  }
}

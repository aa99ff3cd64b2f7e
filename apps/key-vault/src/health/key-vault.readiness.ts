import { Injectable, OnModuleInit } from '@nestjs/common';
import { ReadinessRegistry } from '@xai/common';
import { DataSource } from 'typeorm';

import { KekService } from '../kek/kek.service';
import { KekVerifier } from '../kek/kek.verifier';

/**
 * key-vault's readiness checks: `database` (a round trip to PostgreSQL) and `kek` (a usable
 * KEK is loaded; otherwise it reports `missing` or `invalid` and the service stays sealed).
 * The `kek` check is live: a replica whose ring lacks a version the slots now use (another
 * replica rotated to it) reports that, so it is taken out of service until given the version.
 */
@Injectable()
export class KeyVaultReadiness implements OnModuleInit {
  constructor(
    private readonly registry: ReadinessRegistry,
    private readonly dataSource: DataSource,
    private readonly kek: KekService,
    private readonly verifier: KekVerifier,
  ) {}

  onModuleInit(): void {
    this.registry.register('database', async () => {
      await this.dataSource.query('SELECT 1');
    });
    this.registry.register('kek', async () => {
      if (this.kek.status !== 'ok') throw new Error(this.kek.status);
      const gap = await this.verifier.ringGap();
      if (gap) throw new Error(gap);
    });
  }
}

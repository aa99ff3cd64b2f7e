import { Injectable, OnModuleInit } from '@nestjs/common';
import { ReadinessRegistry } from '@xai/common';
import { DataSource } from 'typeorm';

import { KekService } from '../kek/kek.service';

/**
 * key-vault's readiness checks: `database` (a round trip to PostgreSQL) and `kek` (a usable
 * KEK is loaded; otherwise it reports `missing` or `invalid` and the service stays sealed).
 */
@Injectable()
export class KeyVaultReadiness implements OnModuleInit {
  constructor(
    private readonly registry: ReadinessRegistry,
    private readonly dataSource: DataSource,
    private readonly kek: KekService,
  ) {}

  onModuleInit(): void {
    this.registry.register('database', async () => {
      await this.dataSource.query('SELECT 1');
    });
    this.registry.register('kek', async () => {
      if (this.kek.status !== 'ok') throw new Error(this.kek.status);
    });
  }
}

import { Module } from '@nestjs/common';

import { KekCheckRepository } from './kek-check.repository';
import { KekService } from './kek.service';
import { KekVerifier } from './kek.verifier';

/**
 * The KEK, verified against the database at boot and on every readiness probe; key-vault is the
 * only process that loads it.
 */
@Module({
  providers: [KekService, KekCheckRepository, KekVerifier],
  exports: [KekService, KekVerifier],
})
export class KekModule {}

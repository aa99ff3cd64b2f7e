import { Module } from '@nestjs/common';

import { KekCheckRepository } from './kek-check.repository';
import { KekService } from './kek.service';
import { KekVerifier } from './kek.verifier';

/** The KEK, verified against the database at boot; key-vault is the only process that loads it. */
@Module({
  providers: [KekService, KekCheckRepository, KekVerifier],
  exports: [KekService],
})
export class KekModule {}

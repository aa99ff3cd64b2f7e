import { Module } from '@nestjs/common';

import { KekService } from './kek.service';

/** The KEK; key-vault is the only process that loads it. */
@Module({ providers: [KekService], exports: [KekService] })
export class KekModule {}

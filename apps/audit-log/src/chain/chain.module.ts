import { Module } from '@nestjs/common';

import { ChainAppender } from './chain-appender';
import { ChainVerifier } from './chain-verifier';
import { VerifyGrpcController } from './verify.grpc.controller';

/** The per-tenant hash chain of the trail: appends and verification. */
@Module({
  controllers: [VerifyGrpcController],
  providers: [ChainAppender, ChainVerifier],
  exports: [ChainAppender, ChainVerifier],
})
export class ChainModule {}

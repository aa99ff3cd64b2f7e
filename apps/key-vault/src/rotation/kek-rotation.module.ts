import { Module } from '@nestjs/common';

import { CustodyModule } from '../custody/custody.module';
import { KekModule } from '../kek/kek.module';
import { KekRotationGrpcController } from './kek-rotation.grpc.controller';
import { KekRotationQueue } from './kek-rotation.queue';
import { KekRotationRepository } from './kek-rotation.repository';
import { KekRotationService } from './kek-rotation.service';

/** KEK rotation: the rewrap job on BullMQ and its gRPC control. */
@Module({
  imports: [KekModule, CustodyModule],
  controllers: [KekRotationGrpcController],
  providers: [KekRotationQueue, KekRotationRepository, KekRotationService],
})
export class KekRotationModule {}

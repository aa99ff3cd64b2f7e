import { Module } from '@nestjs/common';

import { KeyHealthConsumer } from './key-health.consumer';
import { KeyHealthEventsRepository } from './key-health-events.repository';

/** The history of provider-key health, fed by the gateways' key-health stream. */
@Module({
  providers: [KeyHealthEventsRepository, KeyHealthConsumer],
  exports: [KeyHealthEventsRepository],
})
export class KeyHealthModule {}

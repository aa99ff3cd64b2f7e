import { Module } from '@nestjs/common';

import { RequestEventsRepository } from './request-events.repository';

/** The raw audit trail table. */
@Module({
  providers: [RequestEventsRepository],
  exports: [RequestEventsRepository],
})
export class RequestEventsModule {}

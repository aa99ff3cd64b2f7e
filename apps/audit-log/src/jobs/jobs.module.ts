import { Module } from '@nestjs/common';

import { RetentionService } from '../retention/retention.service';
import { UsageRollup } from '../usage/usage-rollup.service';
import { AuditJobs } from './audit-jobs.service';

/** Background work on BullMQ: usage rollups and retention. */
@Module({
  providers: [UsageRollup, RetentionService, AuditJobs],
})
export class JobsModule {}

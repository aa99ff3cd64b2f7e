import { AuditStreamEventSchema } from '@xai/events';
import type Redis from 'ioredis';

import { auditEvent } from '../../test/audit-events';
import { loadAuditLogConfig } from '../audit-log.config';
import { AUDIT_CONSUMER_GROUP, auditConsumerOptions } from './audit-consumer.provider';
import { AuditEventRecorder } from './audit-event.recorder';

describe('auditConsumerOptions', () => {
  const config = loadAuditLogConfig({
    DATABASE_URL: 'postgres://localhost/x',
    XAI_REDIS_PREFIX: 'tst:',
    AUDIT_CONSUMER_NAME: 'replica-1',
    AUDIT_RECLAIM_IDLE_MS: '1500',
    AUDIT_BATCH_SIZE: '250',
    AUDIT_GATHER_MS: '40',
  });
  const redis = {} as Redis;

  it('reads the prefixed audit stream in the audit-log group under this replica name', () => {
    const recorder = { record: jest.fn() } as unknown as AuditEventRecorder;

    const options = auditConsumerOptions(config, redis, recorder);

    expect(options).toMatchObject({
      redis,
      stream: 'tst:audit',
      group: AUDIT_CONSUMER_GROUP,
      consumer: 'replica-1',
      schema: AuditStreamEventSchema,
      reclaimIdleMs: 1500,
      batchSize: 250,
      gatherMs: 40,
      deadLetterStream: 'tst:audit:dead',
    });
  });

  it('hands each event to the recorder', async () => {
    const record = jest.fn().mockResolvedValue(undefined);
    const options = auditConsumerOptions(config, redis, {
      record,
    } as unknown as AuditEventRecorder);
    const event = auditEvent();

    await options.handle(event, '1-0');

    expect(record).toHaveBeenCalledWith(event);
  });
});

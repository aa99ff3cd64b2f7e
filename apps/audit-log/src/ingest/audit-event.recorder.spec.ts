import { randomUUID } from 'node:crypto';

import { UnrecordableEventError } from '@xai/events';

import { auditEvent } from '../../test/audit-events';
import { ChainAppender } from '../chain/chain-appender';
import type { TrailRow } from '../chain/trail-entries';
import { PriceBook } from '../pricing/price-book.service';
import { AuditEventRecorder } from './audit-event.recorder';

describe(AuditEventRecorder.name, () => {
  let append: jest.Mock;
  let price: jest.Mock;
  let recorder: AuditEventRecorder;

  beforeEach(() => {
    append = jest.fn().mockResolvedValue(true);
    price = jest.fn().mockResolvedValue({ costUsd: '0.000001000000', priceSource: 'table:x' });
    recorder = new AuditEventRecorder(
      { append } as unknown as ChainAppender,
      { price } as unknown as PriceBook,
    );
  });

  it('appends a request to the chain with its price', async () => {
    const event = auditEvent();

    await recorder.record(event);

    expect(append).toHaveBeenCalledWith({
      kind: 'request',
      row: expect.objectContaining({
        eventId: event.eventId,
        requestId: event.requestId,
        costUsd: '0.000001000000',
        priceSource: 'table:x',
      }),
    });
  });

  it('appends key-use and management events as their own kinds', async () => {
    const common = { eventId: randomUUID(), occurredAt: new Date().toISOString(), tenantId: 't' };

    await recorder.record({
      ...common,
      type: 'key_use',
      providerKeyId: 'pk',
      operation: 'decrypt',
      requestId: 'req_1',
      slotId: 'vk',
      outcome: 'ok',
    });
    await recorder.record({
      ...common,
      type: 'management_change',
      requestId: 'req_2',
      actorVirtualKeyId: 'vk',
      actorMemberId: null,
      resource: 'tenant_config',
      resourceId: null,
      action: 'update',
      before: { LevelMapper: '' },
      after: { LevelMapper: 'gpt*=1' },
    });

    expect(append.mock.calls.map(([entry]) => (entry as TrailRow).kind)).toEqual([
      'key_use',
      'management_change',
    ]);
    expect(price).not.toHaveBeenCalled();
  });

  it('resolves when the event was already recorded, so the entry is acknowledged', async () => {
    append.mockResolvedValue(false);

    const recorded = recorder.record(auditEvent());

    await expect(recorded).resolves.toBeUndefined();
  });

  it('rejects when the append fails, so the entry stays pending', async () => {
    append.mockRejectedValue(new Error('connection terminated'));

    const recorded = recorder.record(auditEvent());

    await expect(recorded).rejects.toThrow('connection terminated');
  });

  it('calls an event unrecordable when the database refuses its values while pricing it', async () => {
    // A NUL byte in the tenant id: PostgreSQL refuses it in the price lookup already.
    price.mockRejectedValue(
      Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), {
        code: '22021',
      }),
    );

    const recorded = recorder.record(auditEvent({ tenantId: 'tenant\u0000' }));

    await expect(recorded).rejects.toBeInstanceOf(UnrecordableEventError);
    expect(append).not.toHaveBeenCalled();
  });

  it('leaves an event pending when pricing it fails for a passing reason', async () => {
    price.mockRejectedValue(new Error('connection terminated'));

    const recorded = recorder.record(auditEvent());

    await expect(recorded).rejects.not.toBeInstanceOf(UnrecordableEventError);
  });
});

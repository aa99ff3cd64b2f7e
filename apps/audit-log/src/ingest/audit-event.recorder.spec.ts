import { auditEvent } from '../../test/audit-events';
import { RequestEventsRepository } from '../request-events/request-events.repository';
import { AuditEventRecorder } from './audit-event.recorder';

describe(AuditEventRecorder.name, () => {
  let insertIfNew: jest.Mock;
  let recorder: AuditEventRecorder;

  beforeEach(() => {
    insertIfNew = jest.fn().mockResolvedValue(true);
    recorder = new AuditEventRecorder({ insertIfNew } as unknown as RequestEventsRepository);
  });

  it('inserts the event as a row keyed by its event id', async () => {
    const event = auditEvent();

    await recorder.record(event);

    expect(insertIfNew).toHaveBeenCalledWith(
      expect.objectContaining({ eventId: event.eventId, requestId: event.requestId }),
    );
  });

  it('resolves when the event was already recorded, so the entry is acknowledged', async () => {
    insertIfNew.mockResolvedValue(false);

    const recorded = recorder.record(auditEvent());

    await expect(recorded).resolves.toBeUndefined();
  });

  it('rejects when the insert fails, so the entry stays pending', async () => {
    insertIfNew.mockRejectedValue(new Error('connection terminated'));

    const recorded = recorder.record(auditEvent());

    await expect(recorded).rejects.toThrow('connection terminated');
  });
});

import { auditEvent } from '../../test/audit-events';
import { toRequestEventRow } from './request-event.row';

describe('toRequestEventRow', () => {
  it('splits usage into token columns', () => {
    const event = auditEvent({ usage: { promptTokens: 3, completionTokens: 4, totalTokens: 7 } });

    const row = toRequestEventRow(event);

    expect(row).toMatchObject({ promptTokens: 3, completionTokens: 4, totalTokens: 7 });
  });

  it('stores null tokens when the provider reported no usage', () => {
    const row = toRequestEventRow(auditEvent({ usage: null }));

    expect(row).toMatchObject({ promptTokens: null, completionTokens: null, totalTokens: null });
  });

  it('keeps the request time to the millisecond', () => {
    const row = toRequestEventRow(auditEvent({ occurredAt: '2025-03-01T10:20:30.456789Z' }));

    expect(row.occurredAt.toISOString()).toBe('2025-03-01T10:20:30.456Z');
  });
});

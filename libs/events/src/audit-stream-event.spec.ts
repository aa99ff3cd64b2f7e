import { randomUUID } from 'node:crypto';

import { AuditStreamEventSchema } from './audit-stream-event';
import { decodeEntry } from './stream-entry';
import { EVENT_FIELD } from './stream-publisher';

const keyUse = (fields: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'key_use',
  eventId: randomUUID(),
  occurredAt: '2026-12-05T06:00:00.123Z',
  tenantId: 't-1',
  providerKeyId: 'pk-1',
  operation: 'decrypt',
  requestId: 'req-1',
  slotId: null,
  outcome: 'ok',
  ...fields,
});

const decode = (event: unknown) =>
  decodeEntry(AuditStreamEventSchema, [EVENT_FIELD, JSON.stringify(event)]);

describe('AuditStreamEventSchema', () => {
  it.each([
    '00000000-0000-0000-0000-000000000001',
    'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11',
    randomUUID(),
  ])('takes any 8-4-4-4-12 hex event id, of any version or case (%s)', (eventId) => {
    expect(decode(keyUse({ eventId })).ok).toBe(true);
  });

  it.each([
    'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1',
    'a0eebc999c0b4ef8bb6d6bb9bd380a11',
    '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}',
    'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\n',
  ])('refuses an event id that is not a UUID (%j)', (eventId) => {
    expect(decode(keyUse({ eventId }))).toEqual({ ok: false, reason: 'eventId: Invalid UUID' });
  });

  it.each(['2026-12-05T06:00:00Z', '2026-12-05T06:00:00.123456789Z', '2026-12-05T06:00Z'])(
    'takes a UTC ISO 8601 time (%s)',
    (occurredAt) => {
      expect(decode(keyUse({ occurredAt })).ok).toBe(true);
    },
  );

  it.each([
    '2026-12-05T06:00:00+01:00',
    '2026-12-05T06:00:00',
    '2026-12-05',
    '2026-02-30T06:00:00Z',
    '2026-12-05T24:00:00Z',
    '2026-12-05 06:00:00Z',
  ])('refuses a time that is not UTC ISO 8601 or not a date (%s)', (occurredAt) => {
    expect(decode(keyUse({ occurredAt })).ok).toBe(false);
  });

  it('names the event types it knows when the type is unknown or missing', () => {
    const reason = 'type: Invalid event type: expected "request", "key_use" or "management_change"';

    expect(decode(keyUse({ type: 'nope' }))).toEqual({ ok: false, reason });
    expect(decode({})).toEqual({ ok: false, reason });
  });

  it('names each field that is wrong, by its path', () => {
    const decoded = decode(keyUse({ outcome: 'maybe', tenantId: '' }));

    expect(decoded.ok).toBe(false);
    expect(!decoded.ok && decoded.reason).toMatch(/^tenantId: .+; outcome: .+/);
  });
});

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

const UNSTORABLE =
  'Invalid input: text with a NUL character or a lone UTF-16 surrogate, which JSON in PostgreSQL cannot hold';

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

  it.each(['0001-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z'])(
    'takes a time at either end of what PostgreSQL stores as written (%s)',
    (occurredAt) => {
      expect(decode(keyUse({ occurredAt })).ok).toBe(true);
    },
  );

  it.each(['0000-01-01T00:00:00Z', '0000-12-31T23:59:59.999Z'])(
    'refuses a time in year 0000, which PostgreSQL has not, with the reason (%s)',
    (occurredAt) => {
      const reason =
        'occurredAt: Invalid input: expected a time from year 0001 to 9999, as PostgreSQL stores it';

      expect(decode(keyUse({ occurredAt }))).toEqual({ ok: false, reason });
      expect(decodeText(request('null').replace('2026-12-05T06:00:00Z', occurredAt))).toEqual({
        ok: false,
        reason,
      });
      expect(decodeText(change('null').replace('2026-12-05T06:00:00Z', occurredAt))).toEqual({
        ok: false,
        reason,
      });
    },
  );

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

  const change = (after: string): string =>
    `{"type":"management_change","eventId":"${randomUUID()}","occurredAt":"2026-12-05T06:00:00Z",` +
    `"tenantId":"t-1","requestId":"req-1","actorVirtualKeyId":"vk-1","actorMemberId":null,` +
    `"resource":"provider_key","resourceId":"pk-1","action":"update","before":null,"after":${after}}`;
  const decodeText = (text: string) => decodeEntry(AuditStreamEventSchema, [EVENT_FIELD, text]);
  const nested = (depth: number): string => `${'['.repeat(depth)}1${']'.repeat(depth)}`;

  it.each([
    ['a key named constructor set to null', '{"provider_type":"openai","constructor":null}'],
    ['such a key deep in arrays', '[[{"constructor":null,"prototype":1}]]'],
    ['keys named like built-ins', '{"__proto__":{"x":1},"toString":"s","hasOwnProperty":null}'],
    ['a string', '"a JSON string"'],
    ['a state nested 256 deep', nested(255)],
  ])('takes any JSON state, as given: %s', (_case, after) => {
    const decoded = decodeText(change(after));

    expect(decoded.ok).toBe(true);
    const event = decoded.ok ? decoded.event : undefined;
    expect(JSON.stringify(event?.type === 'management_change' && event.after)).toBe(
      JSON.stringify(JSON.parse(after)),
    );
  });

  it.each([
    ['nested deeper than 256', nested(257), 'after: Invalid input: nested more than 256 deep'],
    ['nested 5,000 deep', nested(5000), 'after: Invalid input: nested more than 256 deep'],
    ['a number JSON cannot hold', '1e400', 'after: Invalid input: expected a finite number'],
    ['holding a NUL character', '{"note":"a\\u0000b"}', `after: ${UNSTORABLE}`],
    ['holding a lone surrogate', '["a\\ud800b"]', `after: ${UNSTORABLE}`],
    ['with a key holding a lone surrogate', '{"\\udc00":1}', `after: ${UNSTORABLE}`],
    [
      'larger than 64 KiB as JSON',
      `"${'x'.repeat(70_000)}"`,
      'after: must be at most 65536 bytes as JSON',
    ],
  ])('refuses a state %s, with the reason', (_case, after, reason) => {
    expect(decodeText(change(after))).toEqual({ ok: false, reason });
  });

  const request = (usage: string): string =>
    `{"type":"request","eventId":"${randomUUID()}","requestId":"req-1",` +
    `"occurredAt":"2026-12-05T06:00:00Z","tenantId":"t-1","virtualKeyId":"vk-1",` +
    `"providerKeyId":"pk-1","level":1,"requestedModel":"m","upstreamModel":"m",` +
    `"endpoint":"/v1/chat/completions","status":200,"errorCode":null,"stream":false,` +
    `"attempts":1,"latencyMs":3,"usage":${usage}}`;

  it('takes a token count past 2^53 (audit-log caps it, flagged), not a fraction or below 0', () => {
    const usage = (prompt: string) =>
      decodeText(request(`{"promptTokens":${prompt},"completionTokens":1,"totalTokens":2}`));

    expect(usage('1e20').ok).toBe(true);
    expect(usage('9007199254740993').ok).toBe(true);
    expect(usage('1.5')).toEqual({
      ok: false,
      reason: 'usage.promptTokens: Invalid input: expected a whole number',
    });
    expect(usage('-1').ok).toBe(false);
  });
});

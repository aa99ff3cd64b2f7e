import { AuditLogErrorCode } from '../errors/audit-log-error-code';
import { AuditLogException } from '../errors/audit-log.exception';
import { decodeAuditCursor, encodeAuditCursor } from './audit-cursor';

describe('audit cursor', () => {
  const position = {
    occurredAt: new Date('2025-03-01T10:20:30.456Z'),
    eventId: '0b7f8e2c-5a51-4c8e-9d4e-3f2a1b0c9d8e',
  };

  it('decodes what it encoded', () => {
    const cursor = encodeAuditCursor(position);

    const decoded = decodeAuditCursor(cursor);

    expect(decoded).toEqual(position);
  });

  it('encodes to URL-safe text that does not spell out its content', () => {
    const cursor = encodeAuditCursor(position);

    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain(position.eventId);
  });

  it.each([
    ['characters outside base64url', 'abc$def'],
    ['base64url of random text', Buffer.from('hello').toString('base64url')],
    ['a bad event id', Buffer.from('2025-03-01T10:20:30.456Z|nope').toString('base64url')],
    [
      'an impossible date',
      Buffer.from(`2025-13-45T10:20:30.456Z|${position.eventId}`).toString('base64url'),
    ],
    [
      'extra parts',
      Buffer.from(`2025-03-01T10:20:30.456Z|${position.eventId}|x`).toString('base64url'),
    ],
  ])('rejects %s as an invalid cursor', (_case, cursor) => {
    const decode = (): unknown => decodeAuditCursor(cursor);

    expect(decode).toThrow(AuditLogException);
    expect(decode).toThrow(
      expect.objectContaining({ code: AuditLogErrorCode.InvalidCursor }) as Error,
    );
  });
});

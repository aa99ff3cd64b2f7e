import { AuditLogException } from '../errors/audit-log.exception';
import type { TrailPosition } from '../request-events/request-events.repository';

const SEPARATOR = '|';
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * The opaque cursor handed to callers: base64url of the last row's time and event id. Callers
 * must not rely on its content; only this codec reads it.
 */
export function encodeAuditCursor(position: TrailPosition): string {
  const text = `${position.occurredAt.toISOString()}${SEPARATOR}${position.eventId}`;

  return Buffer.from(text, 'utf8').toString('base64url');
}

/** Reads a cursor made by {@link encodeAuditCursor}; anything else is INVALID_ARGUMENT. */
export function decodeAuditCursor(cursor: string): TrailPosition {
  // Node's base64url decoder skips characters it does not know, so check the alphabet first.
  if (!BASE64URL.test(cursor)) throw AuditLogException.invalidCursor();

  const [instant, eventId, ...rest] = Buffer.from(cursor, 'base64url')
    .toString('utf8')
    .split(SEPARATOR);
  const occurredAt = new Date(instant);
  const wellFormed =
    rest.length === 0 &&
    ISO_INSTANT.test(instant) &&
    UUID.test(eventId ?? '') &&
    !Number.isNaN(occurredAt.getTime());
  if (!wellFormed) throw AuditLogException.invalidCursor();

  return { occurredAt, eventId: eventId.toLowerCase() };
}

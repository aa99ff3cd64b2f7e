import type { z } from 'zod/v4';

import { EVENT_FIELD } from './stream-publisher';

/**
 * One stream entry as Redis returns it: its id and its flat `[field, value, …]` list. `fields`
 * is null for an entry that is still pending but was deleted from the stream.
 */
export interface StreamEntry {
  id: string;
  fields: string[] | null;
}

/** The outcome of decoding an entry: the validated event, or why it is not one. */
export type DecodedEntry<E> = { ok: true; event: E } | { ok: false; reason: string };

/** A zod schema whose output is `E`, whatever input it accepts. */
export type EventSchema<E> = z.ZodType<E, unknown>;

/** The entries of an `XRANGE`-shaped reply: `[[id, [field, value, …]], …]`. */
export function parseEntries(raw: unknown): StreamEntry[] {
  if (!Array.isArray(raw)) return [];

  return raw.flatMap((item: unknown) => {
    if (!Array.isArray(item) || typeof item[0] !== 'string') return [];
    const fields: unknown = item[1];

    return [{ id: item[0], fields: Array.isArray(fields) ? fields.map(String) : null }];
  });
}

/** The entries of an `XREAD` / `XREADGROUP` reply for one stream (`null` when none came). */
export function parseReadReply(reply: unknown): StreamEntry[] {
  if (!Array.isArray(reply) || reply.length === 0) return [];
  const first: unknown = reply[0];

  return Array.isArray(first) ? parseEntries(first[1]) : [];
}

/** Reads the event JSON of an entry and validates it against `schema`. */
export function decodeEntry<E>(schema: EventSchema<E>, fields: string[]): DecodedEntry<E> {
  const raw = fieldValue(fields, EVENT_FIELD);
  if (raw === undefined) return { ok: false, reason: `no "${EVENT_FIELD}" field` };

  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, reason: 'the event is not valid JSON' };
  }
  let parsed: ReturnType<EventSchema<E>['safeParse']>;
  try {
    parsed = schema.safeParse(json);
  } catch (error) {
    // Never thrown for a bad event by design; if a validator does throw, the entry is still
    // refused (and dead-lettered) rather than stopping the stream's reader on it for good.
    return { ok: false, reason: `the event could not be validated (${errorName(error)})` };
  }
  if (!parsed.success) return { ok: false, reason: describeIssues(parsed.error) };

  return { ok: true, event: parsed.data };
}

function fieldValue(fields: string[], name: string): string | undefined {
  for (let index = 0; index + 1 < fields.length; index += 2) {
    if (fields[index] === name) return fields[index + 1];
  }

  return undefined;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.join('.') || '(event)'}: ${issue.message}`)
    .join('; ');
}

/** An error's class name only: its message could quote the event. */
function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

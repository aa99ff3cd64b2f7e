import { z } from 'zod';

import {
  MalformedUpstreamResponseException,
  TranslationException,
} from '../translate/translation.exception';

/** A JSON object as parsed from a body: its values are not known yet. */
export type JsonObject = Record<string, unknown>;

/** Narrows a parsed JSON value to an object (not an array, not null). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON object whose keys zod leaves alone. */
export const JsonObjectSchema = z.record(z.unknown());

/** Validates a caller's request, or throws a {@link TranslationException} naming the field. */
export function parseRequest<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw TranslationException.fromZod(parsed.error);

  return parsed.data;
}

/** Validates a provider's answer, or throws a {@link MalformedUpstreamResponseException}. */
export function parseUpstream<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw MalformedUpstreamResponseException.fromZod(parsed.error);

  return parsed.data;
}

/** Parses an SSE data payload as JSON, or throws a {@link MalformedUpstreamResponseException}. */
export function parseJsonPayload(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    throw new MalformedUpstreamResponseException('a stream event is not JSON');
  }
}

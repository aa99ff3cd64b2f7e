import { randomUUID } from 'node:crypto';

import { isJsonObject } from '../protocols/json';
import { TranslationException } from './translation.exception';

/** A fresh id with a protocol's usual prefix, such as `chatcmpl-…`, `msg_…` or `call_…`. */
export function generatedId(prefix: string): string {
  return `${prefix}${randomUUID().replaceAll('-', '').slice(0, 24)}`;
}

/** Seconds since the epoch, as OpenAI's `created` field. */
export function nowInSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * Parses an OpenAI tool call's `arguments` string into the object Anthropic and Gemini want.
 * An empty string means no arguments.
 *
 * @throws TranslationException naming `field` when it is not a JSON object.
 */
export function parseToolArguments(text: string, field: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (!isJsonObject(value)) {
    throw new TranslationException(field, `'${field}' must be a JSON object.`);
  }

  return value;
}

/** A tool input as an object: Anthropic and Gemini send objects; anything else is wrapped. */
export function toolInputObject(input: unknown): Record<string, unknown> {
  if (isJsonObject(input)) return input;

  return input === undefined || input === null ? {} : { value: input };
}

/** The text of OpenAI content given as a string or as text parts. */
export function joinedText(content: string | readonly { text: string }[]): string {
  return typeof content === 'string' ? content : content.map((part) => part.text).join('');
}

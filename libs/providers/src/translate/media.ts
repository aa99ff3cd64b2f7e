import { TranslationException } from './translation.exception';

/** Binary content carried inline: a MIME type and base64 data. */
export interface InlineMedia {
  mimeType: string;
  data: string;
}

const DATA_URL = /^data:([^;,]+)((?:;[^;,]*)*?);base64,(.*)$/s;

/**
 * Reads a base64 `data:` URL. Returns null for any other URL.
 *
 * @throws TranslationException when it is a `data:` URL that is not base64.
 */
export function parseDataUrl(url: string, field: string): InlineMedia | null {
  if (!url.startsWith('data:')) return null;
  const match = DATA_URL.exec(url);
  if (!match) {
    throw new TranslationException(field, `'${field}' must be a base64 data: URL.`);
  }

  return { mimeType: match[1].toLowerCase(), data: match[3] };
}

/** The `data:` URL OpenAI expects for inline media. */
export function toDataUrl(media: InlineMedia): string {
  return `data:${media.mimeType};base64,${media.data}`;
}

/**
 * Refuses URLs that are neither http(s) nor data: URLs, so a translator never hands a
 * provider something like `file:` or `gs:` it was not asked to resolve.
 */
export function assertRemoteUrl(url: string, field: string): void {
  if (/^https?:\/\//i.test(url)) return;
  throw new TranslationException(field, `'${field}' must be an http(s) URL or a data: URL.`);
}

const MIME_BY_EXTENSION: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  heic: 'image/heic',
  heif: 'image/heif',
  pdf: 'application/pdf',
  wav: 'audio/wav',
  mp3: 'audio/mp3',
};

/** The MIME type a URL's or file name's extension implies, if it is a known one. */
export function mimeTypeFromName(name: string): string | undefined {
  const path = name.split(/[?#]/, 1)[0];
  const extension = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();

  return extension ? MIME_BY_EXTENSION[extension] : undefined;
}

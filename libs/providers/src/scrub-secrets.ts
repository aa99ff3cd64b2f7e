import { KnownSecretFilter } from './known-secret-filter';

const REDACTED = '[redacted]';

/** Key formats of the providers the router talks to, by their documented prefixes. */
const PREFIXED_KEYS = [
  /\bsk-[A-Za-z0-9_-]{8,}/g, // OpenAI (sk-, sk-proj-), Anthropic (sk-ant-), DeepSeek, many more
  /\bxai-[A-Za-z0-9_-]{20,}/g, // xAI
  /\bgsk_[A-Za-z0-9]{20,}/g, // Groq
  /\bAIza[A-Za-z0-9_-]{20,}/g, // Google
];

const BEARER = /\b(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi;

const SECRET_ASSIGNMENT =
  /\b((?:x-api-key|x-goog-api-key|api[_-]?key|access[_-]?token|refresh[_-]?token|client[_-]?secret|secret|password)["']?\s*[:=]\s*["']?)[^\s"'&,;}]+/gi;

const LONG_RUN = /[A-Za-z0-9+/_=-]{32,}/g;

/** Below this length a known secret is not searched for: it would redact ordinary words. */
const MIN_KNOWN_LENGTH = 8;

/**
 * Removes anything that looks like a credential from text that may reach a caller or a log,
 * such as an upstream's error message: provider keys by prefix (`sk-…`, `sk-ant-…`,
 * `sk-proj-…`, `xai-…`, `gsk_…`, `AIza…`), Bearer tokens, `api_key=…`-style assignments, and
 * any run of 32 or more hex or base64 characters that looks random (it holds a digit or mixes
 * letter case). Each becomes `[redacted]`. Errs on the side of removing too much.
 *
 * `known` are the exact secrets in play (the provider key an attempt used): each is removed in
 * plain, hex (either case, also with its bytes separated by colons or spaces), base64 (standard
 * and URL-safe, padded or not) and percent-encoded form, whatever its shape, before the
 * patterns run.
 */
export function scrubSecrets(text: string, known: readonly string[] = []): string {
  return scrubPatterns(removeForms(text, knownForms(known)));
}

/**
 * {@link scrubSecrets} bound to the secrets of one call, with their encoded forms worked out
 * once. `knownOnly` removes just those secrets: for values that are identifiers by nature,
 * such as a provider's request id (`req_…`), which the "looks random" rule would otherwise
 * redact.
 */
export interface SecretScrubber {
  (text: string): string;
  knownOnly(text: string): string;
  /**
   * A parsed JSON value with every string in it (keys too) scrubbed: for a body that is parsed
   * and serialised again, where `\u0063`-style escapes the raw text hid are decoded.
   */
  values(value: unknown): unknown;
  /**
   * A filter removing just the known secrets' forms from a stream of bytes, also when split
   * across chunks: for successful answers, where the patterns would corrupt content.
   */
  stream(): KnownSecretFilter;
}

export function secretScrubber(known: readonly string[]): SecretScrubber {
  const { forms, formBytes } = formsOf(known);
  const scrub = (text: string): string => scrubPatterns(removeForms(text, forms));

  return Object.assign(scrub, {
    knownOnly: (text: string) => removeForms(text, forms),
    values: (value: unknown) => scrubValues(value, scrub),
    stream: () => new KnownSecretFilter(formBytes),
  });
}

/** `value` (parsed JSON) with `scrub` applied to every string in it, object keys included. */
export function scrubValues(value: unknown, scrub: (text: string) => string): unknown {
  if (typeof value === 'string') return scrub(value);
  if (Array.isArray(value)) return value.map((item) => scrubValues(item, scrub));
  if (typeof value !== 'object' || value === null) return value;

  return Object.fromEntries(
    Object.entries(value).map(([name, item]) => [scrub(name), scrubValues(item, scrub)]),
  );
}

function scrubPatterns(text: string): string {
  let scrubbed = text.replace(BEARER, `$1${REDACTED}`);
  for (const pattern of PREFIXED_KEYS) scrubbed = scrubbed.replace(pattern, REDACTED);
  scrubbed = scrubbed.replace(SECRET_ASSIGNMENT, `$1${REDACTED}`);

  return scrubbed.replace(LONG_RUN, (run) => (looksRandom(run) ? REDACTED : run));
}

function looksRandom(run: string): boolean {
  return /[0-9]/.test(run) || (/[a-z]/.test(run) && /[A-Z]/.test(run));
}

/** Every form of each known secret, longest first, so no shorter form leaves part of a longer. */
function formsOf(known: readonly string[]): { forms: string[]; formBytes: Buffer[] } {
  const forms = knownForms(known);

  return { forms, formBytes: forms.map((form) => Buffer.from(form, 'utf8')) };
}

function knownForms(known: readonly string[]): string[] {
  const forms = known
    .filter((secret) => secret.length >= MIN_KNOWN_LENGTH)
    .flatMap(encodedForms)
    .sort((a, b) => b.length - a.length);

  return [...new Set(forms)];
}

function removeForms(text: string, forms: readonly string[]): string {
  let scrubbed = text;
  for (const form of forms) {
    if (scrubbed.includes(form)) scrubbed = scrubbed.split(form).join(REDACTED);
  }

  return scrubbed;
}

function encodedForms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const hex = bytes.toString('hex');
  const base64 = bytes.toString('base64');
  const unpadded = base64.replace(/=+$/, '');
  const urlSafe = bytes.toString('base64url');
  const pairs = hex.match(/../g) ?? [];
  const separated = [':', ' '].map((separator) => pairs.join(separator));
  const percent = pairs.map((pair) => `%${pair}`).join('');

  return [
    ...[secret, hex, hex.toUpperCase(), base64, unpadded, urlSafe],
    ...separated.flatMap((form) => [form, form.toUpperCase()]),
    ...[percent, percent.toUpperCase(), encodeURIComponent(secret)],
    ...jsonEscapedForms(secret),
  ];
}

/**
 * The secret as a JSON string may carry it without decoding it: every character escaped
 * (`\u0073\u006b…`, lower- or upper-case hex), or with its slashes escaped (`\/`). A parser
 * turns either back into the secret. (A mix of escaped and plain characters is not covered.)
 */
function jsonEscapedForms(secret: string): string[] {
  const units = Array.from({ length: secret.length }, (_, index) =>
    secret.charCodeAt(index).toString(16).padStart(4, '0'),
  );
  const escaped = units.map((unit) => `\\u${unit}`).join('');
  const forms = [escaped, escaped.replace(/[a-f]/g, (digit) => digit.toUpperCase())];
  if (secret.includes('/')) forms.push(secret.replaceAll('/', '\\/'));

  return forms;
}

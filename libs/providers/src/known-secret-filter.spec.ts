import { randomInt } from 'node:crypto';

import { secretScrubber } from './scrub-secrets';
import { KnownSecretFilter, removeForms } from './known-secret-filter';

const SECRET = 'cnry.5f3a9c1e.0b7d2e44.9a61c0ff';

/** `text` cut at random places into 1 to 8 chunks. */
function randomSplit(bytes: Buffer): Buffer[] {
  const cuts = [
    ...new Set(Array.from({ length: randomInt(0, 8) }, () => randomInt(0, bytes.length))),
  ];
  const bounds = [0, ...cuts.sort((a, b) => a - b), bytes.length];

  return bounds.slice(1).map((end, index) => bytes.subarray(bounds[index], end));
}

function relay(filter: KnownSecretFilter, chunks: readonly Buffer[]): Buffer[] {
  return [...chunks.map((chunk) => filter.push(chunk)), filter.end()];
}

describe(KnownSecretFilter.name, () => {
  const scrub = secretScrubber([SECRET]);
  const hex = Buffer.from(SECRET).toString('hex');
  const events = [
    `data: {"choices":[{"delta":{"content":"you sent ${SECRET}"}}]}\n\n`,
    `data: {"choices":[{"delta":{"content":"hex ${hex} and b64 ${Buffer.from(SECRET).toString('base64')}"}}]}\n\n`,
    `data: {"choices":[{"delta":{"content":"Hello, ordinary text: cnry. 5f3a"}}]}\n\n`,
    'data: [DONE]\n\n',
  ].join('');

  it('removes every form of the secret however the stream is split', () => {
    const whole = Buffer.from(events);
    const expected = scrub.knownOnly(events);
    // A cut right after unpadded base64 may leave its `=` padding, which tells nothing.
    const unpadded = (text: string) => text.replace(/\[redacted\]=+/g, '[redacted]');

    for (let round = 0; round < 500; round += 1) {
      const out = Buffer.concat(relay(scrub.stream(), randomSplit(whole))).toString('utf8');

      expect(unpadded(out)).toBe(unpadded(expected));
    }
    expect(expected).not.toContain(SECRET);
    expect(expected).not.toContain(hex);
    expect(expected).toContain('ordinary text: cnry. 5f3a');
  });

  it('catches a secret split across two chunks', () => {
    const half = SECRET.length / 2;
    const chunks = [`content ${SECRET.slice(0, half)}`, `${SECRET.slice(half)} end`].map((text) =>
      Buffer.from(text),
    );

    const out = relay(scrub.stream(), chunks).map((chunk) => chunk.toString('utf8'));

    expect(out.join('')).toBe('content [redacted] end');
    expect(out[0]).toBe('content ');
  });

  it('holds back nothing of a chunk that cannot start a form, and passes it as it came', () => {
    const chunk = Buffer.from('data: {"content":"Hello."}\n\n');
    const filter = scrub.stream();

    const out = filter.push(chunk);

    expect(out).toBe(chunk);
    expect(filter.end()).toHaveLength(0);
  });

  it('holds back only the tail that is a prefix of a form, and flushes it at the end', () => {
    const filter = scrub.stream();

    const first = filter.push(Buffer.from('text then cnry.5f'));
    const rest = filter.end();

    expect(first.toString('utf8')).toBe('text then ');
    expect(rest.toString('utf8')).toBe('cnry.5f');
  });
});

describe(removeForms.name, () => {
  it('returns the same buffer when no form occurs', () => {
    const data = Buffer.from('nothing to see');

    expect(removeForms(data, [Buffer.from('secret-value')])).toBe(data);
  });
});

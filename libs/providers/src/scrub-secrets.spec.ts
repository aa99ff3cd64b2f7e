import { scrubSecrets, secretScrubber } from './scrub-secrets';

describe(scrubSecrets.name, () => {
  it.each([
    ['an OpenAI key', 'sk-4f9Qx2LmN8pR7tV1wY3zA5bC6dE0fG9h'],
    ['an OpenAI project key', 'sk-proj-Ab3_dE5-fG7hIj9kLm1nOp3qRs5tUv7w'],
    ['an Anthropic key', 'sk-ant-api03-Zx9_Yw8-Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe'],
    ['a Google key', 'AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q'],
    ['an xAI key', 'xai-Q1w2E3r4T5y6U7i8O9p0A1s2D3f4G5h6J7k8'],
    ['a Groq key', 'gsk_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6'],
    ['a long hex run', '0123456789abcdef0123456789abcdef'],
    ['a long base64 run', 'QmFzZTY0IGVuY29kZWQgc2VjcmV0IGtleSBoZXJl'],
  ])('redacts %s', (_name, secret) => {
    const text = `upstream said: invalid key ${secret}, check your settings`;

    const scrubbed = scrubSecrets(text);

    expect(scrubbed).toBe('upstream said: invalid key [redacted], check your settings');
  });

  it('redacts a Bearer token but keeps the scheme', () => {
    const scrubbed = scrubSecrets('Authorization: Bearer abc.def-123');

    expect(scrubbed).toBe('Authorization: Bearer [redacted]');
  });

  it.each([
    ['{"api_key": "short-key"}', '{"api_key": "[redacted]"}'],
    ['x-api-key: k1', 'x-api-key: [redacted]'],
    ['https://h/v1?apiKey=abc&x=1', 'https://h/v1?apiKey=[redacted]&x=1'],
    ["password='hunter2'", "password='[redacted]'"],
  ])('redacts the value of a secret assignment in %s', (text, expected) => {
    expect(scrubSecrets(text)).toBe(expected);
  });

  it('redacts every secret in a text', () => {
    const text = 'keys sk-aaaaaaaaaaaa1 and sk-bbbbbbbbbbbb2';

    const scrubbed = scrubSecrets(text);

    expect(scrubbed).toBe('keys [redacted] and [redacted]');
  });

  it.each([
    'Rate limit reached for gpt-4o in organization org-abc on tokens per min (TPM).',
    'The model `gpt-4o-mini-2024-07-18` does not exist or you do not have access to it.',
    'Incorrect API key provided: sk-abc1****wxyz.',
    'this-is-a-rather-long-hyphenated-identifier-without-digits',
    'max_tokens is too large: 100000. This model supports at most 4096 completion tokens.',
  ])('leaves ordinary error text alone: %s', (text) => {
    expect(scrubSecrets(text)).toBe(text);
  });
  describe('with the secret in play', () => {
    // No pattern catches this shape: short runs split by dots, no known prefix.
    const secret = 'tenant.key.Zq7.Wm2';
    const bytes = Buffer.from(secret, 'utf8');

    it.each([
      ['plain', secret],
      ['lower-case hex', bytes.toString('hex')],
      ['upper-case hex', bytes.toString('hex').toUpperCase()],
      ['base64', bytes.toString('base64')],
      ['URL-safe base64', bytes.toString('base64url')],
      ['percent-encoded', [...bytes].map((byte) => `%${byte.toString(16)}`).join('')],
      [
        'upper-case percent-encoded',
        [...bytes].map((b) => `%${b.toString(16).toUpperCase()}`).join(''),
      ],
      ['colon-separated hex', [...bytes].map((byte) => byte.toString(16)).join(':')],
      [
        'space-separated upper-case hex',
        [...bytes].map((b) => b.toString(16).toUpperCase()).join(' '),
      ],
    ])('redacts its %s form', (_form, encoded) => {
      const text = `{"error":{"message":"key ${encoded} is not valid"}}`;

      const scrubbed = scrubSecrets(text, [secret]);

      expect(scrubbed).toBe('{"error":{"message":"key [redacted] is not valid"}}');
    });

    it('leaves the secret where no known secret is given, as its shape matches no pattern', () => {
      expect(scrubSecrets(`key ${secret}`)).toContain(secret);
    });
  });

  describe(secretScrubber.name, () => {
    const secret = 'plain-words-secret-without-pattern';
    const scrub = secretScrubber([secret]);
    const requestId = 'req_0123456789abcdef0123456789abcdef';

    it('scrubs like scrubSecrets with the secret known', () => {
      const text = `echo ${secret} and ${Buffer.from(secret).toString('base64')} sk-4f9Qx2LmN8pR7tV1wY3zA5`;

      expect(scrub(text)).toBe(scrubSecrets(text, [secret]));
      expect(scrub(text)).not.toContain(secret);
    });

    it('keeps a provider request id whole in knownOnly, which the full scrub redacts', () => {
      expect(scrub.knownOnly(requestId)).toBe(requestId);
      expect(scrub(requestId)).toBe('[redacted]');
    });

    it('scrubs every string of a parsed JSON value, keys included, leaving the rest', () => {
      const escaped = [...secret].map(
        (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
      );
      const parsed: unknown = JSON.parse(
        `{"error":{"message":"bad key ${escaped.join('')}","${secret}":[1,true,null,"${secret}"]}}`,
      );

      expect(scrub.values(parsed)).toEqual({
        error: { message: 'bad key [redacted]', '[redacted]': [1, true, null, '[redacted]'] },
      });
    });

    it('removes the secret written as JSON escapes from raw bytes, also split across chunks', () => {
      const withSlash = 'sk-proj/Zq8vN3tLw5Rk2Yx7Hm4Jd9Fb6';
      const escapes = (upper: boolean) =>
        [...secret]
          .map((char) => char.charCodeAt(0).toString(16).padStart(4, '0'))
          .map((unit) => `\\u${upper ? unit.toUpperCase() : unit}`)
          .join('');
      const body = `{"content":"u=${escapes(false)} U=${escapes(true)}"}`;
      const filter = scrub.stream();
      const cut = 25;
      const relayed = Buffer.concat([
        filter.push(Buffer.from(body.slice(0, cut))),
        filter.push(Buffer.from(body.slice(cut))),
        filter.end(),
      ]).toString();

      expect(relayed).toBe('{"content":"u=[redacted] U=[redacted]"}');
      expect(scrub.knownOnly(body)).toBe(relayed);
      expect(
        secretScrubber([withSlash]).knownOnly(`"k":"sk-proj\\/Zq8vN3tLw5Rk2Yx7Hm4Jd9Fb6"`),
      ).toBe('"k":"[redacted]"');
    });

    it('still removes the known secret in knownOnly, in every encoded form', () => {
      const hex = Buffer.from(secret).toString('hex');

      expect(scrub.knownOnly(`${requestId}-${secret}`)).toBe(`${requestId}-[redacted]`);
      expect(scrub.knownOnly(hex.toUpperCase())).toBe('[redacted]');
    });
  });
});

import { ConfigValidationException } from '@xai/common';
import { generateVirtualKey } from '@xai/crypto';

import { GatewayConfig, loadGatewayConfig } from './gateway.config';

const BASE = { XAI_VIRTUAL_KEY_PEPPER: 'p'.repeat(48) };

function problemsWith(ownerKey: string): string[] {
  try {
    loadGatewayConfig({ ...BASE, XAI_BOOTSTRAP_OWNER_KEY: ownerKey });
  } catch (error) {
    if (error instanceof ConfigValidationException) return error.problems;
    throw error;
  }

  return [];
}

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadGatewayConfig({ ...BASE, ...env });
  } catch (error) {
    if (error instanceof ConfigValidationException) return error.problems;
    throw error;
  }

  return [];
}

function withLastCharacterChanged(key: string): string {
  return `${key.slice(0, -1)}${key.endsWith('0') ? '1' : '0'}`;
}

describe(loadGatewayConfig.name, () => {
  it('reads a value padded with blanks without them', () => {
    const config = loadGatewayConfig({
      ...BASE,
      HOST: ' 127.0.0.1 ',
      XAI_CONFIG_URL: '127.0.0.1:50051\n',
      XAI_SERVICE_TOKEN_GATEWAY: ` ${'t'.repeat(32)}\n`,
    });

    expect(config).toMatchObject({
      HOST: '127.0.0.1',
      XAI_CONFIG_URL: '127.0.0.1:50051',
      XAI_SERVICE_TOKEN_GATEWAY: 't'.repeat(32),
    });
  });

  it('keeps XAI_VIRTUAL_KEY_PEPPER byte for byte: stored virtual-key hashes depend on it', () => {
    const pepper = ` ${'p'.repeat(40)}\n`;

    expect(loadGatewayConfig({ XAI_VIRTUAL_KEY_PEPPER: pepper }).XAI_VIRTUAL_KEY_PEPPER).toBe(
      pepper,
    );
  });

  describe('XAI_BOOTSTRAP_OWNER_KEY', () => {
    it('accepts a generated virtual key', () => {
      const key = generateVirtualKey();

      expect(
        loadGatewayConfig({ ...BASE, XAI_BOOTSTRAP_OWNER_KEY: key }).XAI_BOOTSTRAP_OWNER_KEY,
      ).toBe(key);
    });

    it.each([
      ['a long chosen password', 'correct-horse-battery-staple-2026!'],
      [
        'a generated key with one character changed',
        withLastCharacterChanged(generateVirtualKey()),
      ],
      ['32 hex characters without the format', '0123456789abcdef0123456789abcdef'],
    ])('refuses %s at start, naming the variable and the fix, never the value', (_case, key) => {
      const problems = problemsWith(key);

      expect(problems).toHaveLength(1);
      expect(problems[0]).toContain('XAI_BOOTSTRAP_OWNER_KEY');
      expect(problems[0]).toContain('generated virtual key');
      expect(problems[0]).not.toContain(key);
    });

    it('stays optional', () => {
      expect(loadGatewayConfig(BASE).XAI_BOOTSTRAP_OWNER_KEY).toBeUndefined();
    });
  });

  // Each of the first makes no sense at 0: no body, no header, no call to the internal services,
  // a key asleep for no time, or one that sleeps at its first failure whatever the threshold.
  // 0 turns the others off (no limit, no keep-alive comments); a negative value has no meaning.
  const atLeastOne = [
    'XAI_AUTH_CACHE_TTL_SECONDS',
    'XAI_BODY_LIMIT_BYTES',
    'XAI_JSON_MAX_DEPTH',
    'XAI_MAX_HEADER_BYTES',
    'XAI_MAX_PARAM_LENGTH',
    'XAI_GRPC_DEADLINE_MS',
    'XAI_KEY_FAILURE_THRESHOLD',
    'XAI_KEY_FAILURE_WINDOW_MS',
    'XAI_KEY_SLEEP_BASE_MS',
    'XAI_KEY_SLEEP_MAX_MS',
  ].map((name) => ({ name, least: 1, refused: ['0', '-1', '1.5'] }));
  const zeroIsOff = [
    'XAI_UPSTREAM_CONNECT_TIMEOUT_MS',
    'XAI_UPSTREAM_HEADERS_TIMEOUT_MS',
    'XAI_UPSTREAM_BODY_TIMEOUT_MS',
    'XAI_UPSTREAM_TOTAL_TIMEOUT_MS',
    'XAI_STREAM_KEEPALIVE_MS',
  ].map((name) => ({ name, least: 0, refused: ['-1', '1.5'] }));
  describe.each([...atLeastOne, ...zeroIsOff])('$name', ({ name, least, refused }) => {
    it.each(refused)('refuses %s at start, naming the variable', (value) => {
      expect(problemsOf({ [name]: value })).toEqual([expect.stringMatching(`^${name} `)]);
    });

    it(`accepts ${least}`, () => {
      expect(
        loadGatewayConfig({ ...BASE, [name]: String(least) })[name as keyof GatewayConfig],
      ).toBe(least);
    });
  });

  // A Node.js timer longer than 2^31 - 1 ms fires at once: every call would time out at once.
  describe.each([
    'XAI_UPSTREAM_CONNECT_TIMEOUT_MS',
    'XAI_UPSTREAM_HEADERS_TIMEOUT_MS',
    'XAI_UPSTREAM_BODY_TIMEOUT_MS',
    'XAI_UPSTREAM_TOTAL_TIMEOUT_MS',
    'XAI_STREAM_KEEPALIVE_MS',
    'XAI_GRPC_DEADLINE_MS',
  ])('%s', (name) => {
    it('refuses a delay longer than a timer can wait, naming the variable', () => {
      expect(problemsOf({ [name]: String(2 ** 31) })).toEqual([expect.stringMatching(`^${name} `)]);
    });

    it('accepts the longest delay a timer can wait', () => {
      const longest = 2 ** 31 - 1;

      expect(
        loadGatewayConfig({ ...BASE, [name]: String(longest) })[name as keyof GatewayConfig],
      ).toBe(longest);
    });
  });

  describe.each(['XAI_KEY_HEALTH_CACHE_MS', 'XAI_KEY_HEALTH_STALE_MS'])('%s', (name) => {
    it.each(['-1', '60001', '99999999999999999999', 'abc', '2.5'])(
      'refuses %s at start, naming the variable',
      (value) => {
        expect(() => loadGatewayConfig({ ...BASE, [name]: value })).toThrow(
          expect.objectContaining({
            problems: [expect.stringContaining(name)] as unknown,
          }) as Error,
        );
      },
    );

    it('accepts 0 and up to a minute', () => {
      const config = loadGatewayConfig({ ...BASE, [name]: '60000' });

      expect(config[name as 'XAI_KEY_HEALTH_STALE_MS']).toBe(60_000);
      expect(loadGatewayConfig({ ...BASE, [name]: '0' })[name as 'XAI_KEY_HEALTH_STALE_MS']).toBe(
        0,
      );
    });
  });
});

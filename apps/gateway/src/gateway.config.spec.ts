import { ConfigValidationException } from '@xai/common';
import { generateVirtualKey } from '@xai/crypto';

import { loadGatewayConfig } from './gateway.config';

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

function withLastCharacterChanged(key: string): string {
  return `${key.slice(0, -1)}${key.endsWith('0') ? '1' : '0'}`;
}

describe(loadGatewayConfig.name, () => {
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

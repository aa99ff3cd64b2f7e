import { UpdateTenantConfigBodySchema } from './tenant-config.dto';

describe('a tenant config update', () => {
  it('takes rule texts of 16,384 characters of ASCII', () => {
    const rules = `${'m'.repeat(16_380)}*=1`;

    expect(UpdateTenantConfigBodySchema.safeParse({ LevelMapper: rules }).success).toBe(true);
  });

  it.each([
    ['16,000 CJK characters (48 KB of UTF-8)', `${'模'.repeat(16_000)}=1`],
    ['more than 16,384 characters', `${'m'.repeat(16_385)}=1`],
  ])('refuses a rule text of %s, naming the field', (_case, rules) => {
    for (const field of ['LevelMapper', 'ModelMapper', 'SwitchOver']) {
      const result = UpdateTenantConfigBodySchema.safeParse({ [field]: rules });

      expect(result.success).toBe(false);
      expect(result.error?.issues[0].path).toEqual([field]);
    }
  });

  it('keeps the whole state of a change within what the audit trail stores (64 KiB)', () => {
    const largest = `${'"'.repeat(8_192)}`;
    const accepted = UpdateTenantConfigBodySchema.parse({
      LevelMapper: largest,
      ModelMapper: largest,
      SwitchOver: largest,
      DefaultLevel: 1000,
    });

    expect(Buffer.byteLength(JSON.stringify(accepted), 'utf8')).toBeLessThanOrEqual(64 * 1024);
  });
});

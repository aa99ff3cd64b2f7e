import { ConfigValidationException } from '@xai/common';

import { loadConfigServiceConfig } from './config.config';

const BASE = { DATABASE_URL: 'postgres://localhost/config' };

describe(loadConfigServiceConfig.name, () => {
  it('applies the documented pool size', () => {
    expect(loadConfigServiceConfig(BASE).DATABASE_POOL_MAX).toBe(10);
  });

  it.each(['0', '-1', '2.5'])(
    'refuses a pool of %s connections, naming DATABASE_POOL_MAX',
    (size) => {
      const load = (): unknown => loadConfigServiceConfig({ ...BASE, DATABASE_POOL_MAX: size });

      expect(load).toThrow(ConfigValidationException);
      expect(load).toThrow(/DATABASE_POOL_MAX/);
    },
  );
});

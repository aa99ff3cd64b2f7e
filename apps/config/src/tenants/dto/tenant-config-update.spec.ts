import { MapperSyntaxException } from '@xai/routing';

import { ConfigErrorCode } from '../../errors/config-error-code';
import { ConfigException } from '../../errors/config.exception';
import { MAX_MAPPER_LENGTH, validateTenantConfigUpdate } from './tenant-config-update';

const TENANT_ID = '6f1c2a4e-3b7d-4c1e-9a2b-5d8e7f6a1b2c';

function refusal(run: () => unknown): ConfigException {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigException) return error;
    throw error;
  }
  throw new Error('expected a ConfigException');
}

describe('validateTenantConfigUpdate', () => {
  it('stores mappers in canonical form and keeps only the fields that are set', () => {
    const patch = validateTenantConfigUpdate({
      tenantId: TENANT_ID,
      levelMapper: ' gpt-4* = 1 , claude*=2 ',
      switchOver: '1 = 2',
    });

    expect(patch).toEqual({ levelMapper: 'gpt-4*=1,claude*=2', switchOver: '1=2' });
  });

  it('accepts empty strings, which clear the rules', () => {
    const patch = validateTenantConfigUpdate({
      tenantId: TENANT_ID,
      levelMapper: '',
      modelMapper: '',
      switchOver: '',
    });

    expect(patch).toEqual({ levelMapper: '', modelMapper: '', switchOver: '' });
  });

  it.each([
    [{ levelMapper: 'a=1,gpt-4*' }, 'level_mapper: LevelMapper item 2 "gpt-4*" has no "="'],
    [{ modelMapper: 'gpt-4=gpt-*' }, 'model_mapper: ModelMapper item 1 "gpt-4=gpt-*" has a'],
    [{ switchOver: '1=2,2=1' }, 'switch_over: SwitchOver item 2 "2=1" closes a cycle'],
    [{ switchOver: '1=2,1=3' }, 'switch_over: SwitchOver item 2 "1=3" repeats level 1'],
    [{ defaultLevel: 0 }, 'default_level: must be a whole number from 1 to 1000'],
  ])('refuses %j naming the field and item', (fields, message) => {
    const error = refusal(() => validateTenantConfigUpdate({ tenantId: TENANT_ID, ...fields }));

    expect(error.code).toBe(ConfigErrorCode.InvalidArgument);
    expect(error.message).toContain(message);
  });

  it('keeps the mapper error as the cause, for the logs', () => {
    const error = refusal(() =>
      validateTenantConfigUpdate({ tenantId: TENANT_ID, modelMapper: 'x' }),
    );

    expect(error.cause).toBeInstanceOf(MapperSyntaxException);
  });

  it('refuses an overlong mapper before parsing it', () => {
    const text = 'a=1,'.repeat(MAX_MAPPER_LENGTH / 4) + 'b=2';

    const error = refusal(() =>
      validateTenantConfigUpdate({ tenantId: TENANT_ID, levelMapper: text }),
    );

    expect(error.message).toBe('level_mapper: must be at most 16384 characters');
  });
});

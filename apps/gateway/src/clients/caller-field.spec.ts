import { callerFacingError } from './caller-field';

describe(callerFacingError.name, () => {
  it.each([
    [
      'model_mapper: ModelMapper item 2 "gpt 4=x" contains a space or control character',
      'ModelMapper item 2 "gpt 4=x" contains a space or control character',
      'ModelMapper',
    ],
    ['switch_over: SwitchOver item 2 "2=1" closes a cycle 2 → 1 → 2', undefined, 'SwitchOver'],
    ['name: must be at most 100 characters', 'Name: must be at most 100 characters', 'Name'],
    ['id: must be a UUID', 'ID: must be a UUID', 'ID'],
    [
      'default_level: must be a whole number',
      'DefaultLevel: must be a whole number',
      'DefaultLevel',
    ],
  ])('names the field the caller sent in %j', (details, message, param) => {
    expect(callerFacingError(details)).toEqual({
      message: message ?? details.slice(details.indexOf(': ') + 2),
      param,
    });
  });

  it('leaves other messages alone, without a param', () => {
    expect(callerFacingError('tenant_id: must be a UUID')).toEqual({
      message: 'tenant_id: must be a UUID',
    });
    expect(callerFacingError('provider key 42 not found')).toEqual({
      message: 'provider key 42 not found',
    });
  });
});

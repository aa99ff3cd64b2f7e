import { z } from 'zod';

import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayException } from '../errors/gateway.exception';
import { CreateMemberBodySchema, UpdateMemberBodySchema } from './dto/member.dto';
import { CreateProviderKeyBodySchema } from './dto/provider-key.dto';
import { UpdateTenantConfigBodySchema } from './dto/tenant-config.dto';
import { IssueVirtualKeyBodySchema, RecoverBodySchema } from './dto/virtual-key.dto';
import { parseBody } from './parse-body';

const LONE = '\ud800';

function refusal(schema: z.ZodTypeAny, body: unknown): GatewayException {
  try {
    parseBody(schema, body);
  } catch (error) {
    return error as GatewayException;
  }
  throw new Error('the body was accepted');
}

describe(parseBody.name, () => {
  const key = { SecretKey: 'sk-test-0001', Name: 'k', Level: 1, Provider: 'https://a.example' };

  it.each([
    ['a member name', CreateMemberBodySchema, { Name: `m${LONE}` }, 'Name'],
    ["a member's ModelMapper", UpdateMemberBodySchema, { ModelMapper: `a=${LONE}` }, 'ModelMapper'],
    ['a provider key name', CreateProviderKeyBodySchema, { ...key, Name: `k${LONE}` }, 'Name'],
    [
      "a provider key's model list",
      CreateProviderKeyBodySchema,
      { ...key, Config: { models: ['gpt-4o', `x${LONE}`] } },
      'Config.models.1',
    ],
    ['a LevelMapper', UpdateTenantConfigBodySchema, { LevelMapper: `${LONE}=1` }, 'LevelMapper'],
    ['a SwitchOver', UpdateTenantConfigBodySchema, { SwitchOver: `1=2${LONE}` }, 'SwitchOver'],
    ['a virtual key name', IssueVirtualKeyBodySchema, { Name: `${LONE}v` }, 'Name'],
    ['a recovered key name', RecoverBodySchema, { Name: `\udc00` }, 'Name'],
  ])('refuses a lone surrogate in %s, naming the field', (_case, schema, body, field) => {
    const error = refusal(schema, body);

    expect(error).toBeInstanceOf(GatewayException);
    expect(error.code).toBe(GatewayErrorCode.InvalidRequest);
    expect(error.param).toBe(field);
    expect(error.message).toBe(
      `Invalid request: ${field}: must be valid Unicode (it holds a lone UTF-16 surrogate).`,
    );
  });

  it('refuses a field name holding a lone surrogate, naming where it is', () => {
    const error = refusal(CreateProviderKeyBodySchema, { ...key, Config: { [`x${LONE}`]: 1 } });

    expect(error.param).toBe('Config');
    expect(error.message).toBe(
      'Invalid request: Config: a field name must be valid Unicode (it holds a lone UTF-16 surrogate).',
    );
  });

  it('takes text with whole surrogate pairs (emoji) and other characters as they are', () => {
    const body = parseBody(CreateMemberBodySchema, { Name: '😀 équipe', ModelMapper: 'gpt-😀=x' });

    expect(body).toEqual({ Name: '😀 équipe', ModelMapper: 'gpt-😀=x' });
  });
});

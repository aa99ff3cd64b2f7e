import { UpdateTenantConfigRequest } from '@xai/contracts';
import { LevelMapper, MapperSyntaxException, ModelMapper, SwitchOver } from '@xai/routing';

import { ConfigException } from '../../errors/config.exception';
import { requireLevel } from '../../validation/field-validators';

/** The longest rule string accepted, in characters. */
export const MAX_MAPPER_LENGTH = 16 * 1024;

/** The tenant-config fields a caller may change, validated and in canonical form. */
export interface TenantConfigPatch {
  levelMapper?: string;
  modelMapper?: string;
  switchOver?: string;
  defaultLevel?: number;
}

/**
 * Validates the fields an UpdateTenantConfig request sets. Mapper strings are parsed with the
 * same grammar the gateway routes by and stored in canonical form; a bad item is refused with
 * INVALID_ARGUMENT naming the field and the item.
 */
export function validateTenantConfigUpdate(request: UpdateTenantConfigRequest): TenantConfigPatch {
  const patch: TenantConfigPatch = {};
  if (request.levelMapper !== undefined) {
    patch.levelMapper = canonical('level_mapper', request.levelMapper, (t) => LevelMapper.parse(t));
  }
  if (request.modelMapper !== undefined) {
    patch.modelMapper = canonical('model_mapper', request.modelMapper, (t) => ModelMapper.parse(t));
  }
  if (request.switchOver !== undefined) {
    patch.switchOver = canonical('switch_over', request.switchOver, (t) => SwitchOver.parse(t));
  }
  if (request.defaultLevel !== undefined) {
    patch.defaultLevel = requireLevel('default_level', request.defaultLevel);
  }

  return patch;
}

/** ModelMapper rules (a member's, say) validated and in canonical form; names a bad item. */
export function canonicalModelMapper(field: string, text: string): string {
  return canonical(field, text, (t) => ModelMapper.parse(t));
}

function canonical(
  field: string,
  text: string,
  parse: (text: string) => { toString(): string },
): string {
  if (text.length > MAX_MAPPER_LENGTH) {
    throw ConfigException.invalid(field, `must be at most ${MAX_MAPPER_LENGTH} characters`);
  }
  try {
    return parse(text).toString();
  } catch (error) {
    if (error instanceof MapperSyntaxException) {
      throw ConfigException.invalid(field, error.message, error);
    }
    throw error;
  }
}

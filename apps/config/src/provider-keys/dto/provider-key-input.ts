import { CreateProviderKeyRequest, UpdateProviderKeyRequest } from '@xai/contracts';

import { ConfigException } from '../../errors/config.exception';
import {
  optionalText,
  requireLevel,
  requireOneOf,
  requireText,
  requireUuid,
} from '../../validation/field-validators';
import { JsonObject, PROVIDER_TYPES, ProviderType } from '../provider-key.entity';

/** The largest `config_json` accepted, in UTF-8 bytes. */
export const MAX_CONFIG_JSON_BYTES = 16 * 1024;
const MAX_NAME_LENGTH = 200;
const MAX_URL_LENGTH = 2048;
// A hint is for recognising a key, never for recovering it: a few characters at most.
const MAX_SECRET_HINT_LENGTH = 8;
// Field names that would hold a credential; such values belong in key-vault, never here.
const SECRET_FIELD_NAMES = new Set([
  'key',
  'apikey',
  'secret',
  'secretkey',
  'password',
  'passwd',
  'token',
  'accesstoken',
  'bearer',
  'authorization',
  'credential',
  'credentials',
  'privatekey',
]);

/** The stored fields of a provider key that a caller may set. */
export interface ProviderKeyFields {
  name: string;
  level: number;
  provider: string;
  status: boolean;
  providerType: ProviderType;
  config: JsonObject;
  secretHint: string;
}

/** A validated CreateProviderKey request. */
export interface NewProviderKey extends ProviderKeyFields {
  tenantId: string;
  id: string;
}

/** Validates every field of a new provider key; throws INVALID_ARGUMENT naming the field. */
export function validateNewProviderKey(request: CreateProviderKeyRequest): NewProviderKey {
  return {
    tenantId: requireUuid('tenant_id', request.tenantId),
    id: requireUuid('id', request.id),
    name: requireText('name', request.name, MAX_NAME_LENGTH),
    level: requireLevel('level', request.level),
    provider: requireProviderUrl('provider', request.provider),
    status: request.status,
    providerType: requireOneOf('provider_type', request.providerType, PROVIDER_TYPES),
    config: requireConfigObject('config_json', request.configJson),
    secretHint: optionalText('secret_hint', request.secretHint, MAX_SECRET_HINT_LENGTH),
  };
}

/** Validates the fields an UpdateProviderKey request sets; absent fields stay absent. */
export function validateProviderKeyChanges(
  request: UpdateProviderKeyRequest,
): Partial<ProviderKeyFields> {
  const changes: Partial<ProviderKeyFields> = {};
  if (request.name !== undefined) changes.name = requireText('name', request.name, MAX_NAME_LENGTH);
  if (request.level !== undefined) changes.level = requireLevel('level', request.level);
  if (request.provider !== undefined) {
    changes.provider = requireProviderUrl('provider', request.provider);
  }
  if (request.status !== undefined) changes.status = request.status;
  if (request.providerType !== undefined) {
    changes.providerType = requireOneOf('provider_type', request.providerType, PROVIDER_TYPES);
  }
  if (request.configJson !== undefined) {
    changes.config = requireConfigObject('config_json', request.configJson);
  }
  if (request.secretHint !== undefined) {
    changes.secretHint = optionalText('secret_hint', request.secretHint, MAX_SECRET_HINT_LENGTH);
  }

  return changes;
}

/**
 * An http(s) base URL without credentials, query or fragment. Whether its host may be reached
 * (the SSRF guard) is the gateway's call, made when it resolves the name.
 */
export function requireProviderUrl(field: string, value: string): string {
  const problem = 'must be an http(s) URL without credentials, query or fragment';
  if (value.length === 0 || value.length > MAX_URL_LENGTH || /[\s?#]/.test(value)) {
    throw ConfigException.invalid(field, problem);
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch (error) {
    throw ConfigException.invalid(field, problem, error);
  }
  const httpLike = url.protocol === 'http:' || url.protocol === 'https:';
  if (!httpLike || url.hostname === '' || url.username !== '' || url.password !== '') {
    throw ConfigException.invalid(field, problem);
  }

  return value;
}

/** A JSON object of at most 16 KB with no credential-like field; `''` reads as `{}`. */
export function requireConfigObject(field: string, value: string): JsonObject {
  if (value === '') return {};
  if (Buffer.byteLength(value, 'utf8') > MAX_CONFIG_JSON_BYTES) {
    throw ConfigException.invalid(field, `must be at most ${MAX_CONFIG_JSON_BYTES} bytes`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    throw ConfigException.invalid(field, 'must be valid JSON', error);
  }
  if (!isPlainObject(parsed)) throw ConfigException.invalid(field, 'must be a JSON object');
  const secretPath = findSecretField(parsed, '');
  if (secretPath !== undefined) {
    throw ConfigException.invalid(
      field,
      `field "${secretPath}" looks like a credential; secrets belong in SecretKey, never in config`,
    );
  }

  return parsed;
}

function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function findSecretField(value: unknown, path: string): string | undefined {
  if (Array.isArray(value)) {
    return value.map((item, i) => findSecretField(item, `${path}[${i}]`)).find(Boolean);
  }
  if (!isPlainObject(value)) return undefined;
  for (const [name, child] of Object.entries(value)) {
    const childPath = path === '' ? name : `${path}.${name}`;
    if (SECRET_FIELD_NAMES.has(name.toLowerCase().replace(/[-_]/g, ''))) return childPath;
    const nested = findSecretField(child, childPath);
    if (nested !== undefined) return nested;
  }

  return undefined;
}

/**
 * The fields of config's and key-vault's requests, by the name the management API's caller
 * sent them under (the PascalCase of `/x-keys`, `/x-conf` and `/x-users`, DESIGN.md section 7).
 * Fields the caller never sends (tenant ids, key hashes) are not here: they keep their names.
 */
const CALLER_FIELDS: Readonly<Record<string, string>> = {
  level_mapper: 'LevelMapper',
  model_mapper: 'ModelMapper',
  switch_over: 'SwitchOver',
  default_level: 'DefaultLevel',
  id: 'ID',
  name: 'Name',
  level: 'Level',
  provider: 'Provider',
  provider_type: 'Config',
  config_json: 'Config',
  status: 'Status',
  secret_key: 'SecretKey',
  member_id: 'MemberID',
  role: 'Role',
  grace_seconds: 'GracePeriodSeconds',
};

/** A service's validation message: `field: problem`, the field in snake_case. */
const FIELD_MESSAGE = /^([a-z][a-z0-9_]*): (.+)$/s;

/** A validation message as the caller should read it, and the field it is about. */
export interface CallerFacingError {
  message: string;
  param?: string;
}

/**
 * Renames the field a service's validation message starts with to the one the caller sent,
 * e.g. `model_mapper: ModelMapper item 2 …` becomes `ModelMapper item 2 …` and
 * `name: must be at most 100 characters` becomes `Name: must be at most 100 characters`,
 * with `param` set to that field. Other messages pass unchanged, without a param.
 */
export function callerFacingError(details: string): CallerFacingError {
  const match = FIELD_MESSAGE.exec(details);
  const field = match ? CALLER_FIELDS[match[1]] : undefined;
  if (!match || field === undefined) return { message: details };
  const problem = match[2];
  // Mapper messages already open with the field's name (`ModelMapper item 2 "…" has no "="`).
  const message = problem.startsWith(`${field} `) ? problem : `${field}: ${problem}`;

  return { message, param: field };
}

/** The Redis stream names, under an installation-wide prefix (`XAI_REDIS_PREFIX`, default `xai:`). */
export interface StreamNames {
  /** gateway (and key-vault) → audit-log: one event per request. */
  audit: string;
  /** config → every gateway: drop cached config and keys of a tenant. */
  config: string;
  /** every gateway → config: provider-key health transitions (sleep, dead, recovered). */
  keyHealth: string;
}

/** The stream names under `prefix`. */
export function streamNames(prefix = 'xai:'): StreamNames {
  return { audit: `${prefix}audit`, config: `${prefix}config`, keyHealth: `${prefix}key-health` };
}

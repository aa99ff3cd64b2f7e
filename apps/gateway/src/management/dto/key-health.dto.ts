import { KeyHealthRecord, KeyStatus } from '../../health/key-health.types';
import { RoutableKey } from '../../routing/tenant-routing';

/** A key that is set aside, as `/x-conf` lists it. */
export interface SetAsideKeyView {
  ID: string;
  Name: string;
  Level: number;
  /** `sleeping`, `half_open` (its sleep is over; a trial call or probe decides) or `dead`. */
  State: 'sleeping' | 'half_open' | 'dead';
  /** Why: `rate_limited`, `server_error`, `timeout`, `unreachable`, `unauthorized`, … */
  Reason: string | null;
  /** A short detail such as `HTTP 429` or `insufficient_quota`. */
  Detail: string | null;
  /** When the key entered this state (ISO 8601). */
  Since: string;
  /** When a sleeping key wakes (ISO 8601); null for dead keys, which wait for their owner. */
  Until: string | null;
}

/** The `KeyHealth` part of `GET /x-conf`. */
export interface KeyHealthView {
  Sleeping: SetAsideKeyView[];
  Dead: SetAsideKeyView[];
}

/** Lists the tenant's sleeping and dead keys from their health records and statuses. */
export function toKeyHealthView(
  keys: readonly RoutableKey[],
  records: ReadonlyMap<string, KeyHealthRecord>,
  statuses: ReadonlyMap<string, KeyStatus>,
): KeyHealthView {
  const view: KeyHealthView = { Sleeping: [], Dead: [] };
  for (const key of keys) {
    const record = records.get(key.id);
    const status = statuses.get(key.id);
    if (!record || !status || status.kind === 'active') continue;
    const entry: SetAsideKeyView = {
      ID: key.id,
      Name: key.name,
      Level: key.level,
      State: status.kind,
      Reason: record.reason,
      Detail: record.detail,
      Since: new Date(record.since).toISOString(),
      Until: record.until === null || status.kind === 'dead' ? null : iso(record.until),
    };
    (status.kind === 'dead' ? view.Dead : view.Sleeping).push(entry);
  }

  return view;
}

function iso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

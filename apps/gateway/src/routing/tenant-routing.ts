import { GetRoutingSnapshotResponse, ProviderKey } from '@xai/contracts';
import { isIP } from 'node:net';

import { ProviderType, classifyAddress, isProviderType } from '@xai/providers';
import { LevelMapper, ModelMapper } from '@xai/routing';

/** A provider key as the router uses it: no secret, only where and how to call. */
export interface RoutableKey {
  id: string;
  name: string;
  level: number;
  baseUrl: string;
  providerType: ProviderType;
  enabled: boolean;
  settings: Record<string, unknown>;
  /**
   * Set when the base URL's host is an IP literal in a private or loopback range. Sockets skip
   * DNS (and so the connect-time guard) for literals; the gateway checks this flag instead.
   */
  privateLiteralHost: boolean;
}

/**
 * One tenant's routing state, built once per config version: parsed mappers and the keys of
 * each level in a stable order, with a round-robin cursor per level.
 */
export class TenantRouting {
  private readonly cursors = new Map<number, number>();

  private constructor(
    readonly version: number,
    readonly levelMapper: LevelMapper,
    readonly modelMapper: ModelMapper,
    readonly defaultLevel: number,
    readonly keysByLevel: ReadonlyMap<number, readonly RoutableKey[]>,
  ) {}

  /** Builds the state from config's snapshot. */
  static fromSnapshot(snapshot: GetRoutingSnapshotResponse): TenantRouting {
    const keysByLevel = new Map<number, RoutableKey[]>();
    for (const key of snapshot.providerKeys) {
      const routable = toRoutableKey(key);
      const level = keysByLevel.get(routable.level) ?? [];
      level.push(routable);
      keysByLevel.set(routable.level, level);
    }

    return new TenantRouting(
      snapshot.config.version,
      LevelMapper.parse(snapshot.config.levelMapper),
      ModelMapper.parse(snapshot.config.modelMapper),
      snapshot.config.defaultLevel || 1,
      keysByLevel,
    );
  }

  /** The enabled keys of a level, rotated so each call starts at the next key (round-robin). */
  rotation(level: number): RoutableKey[] {
    const enabled = (this.keysByLevel.get(level) ?? []).filter((key) => key.enabled);
    if (enabled.length === 0) return enabled;
    const start = (this.cursors.get(level) ?? 0) % enabled.length;
    this.cursors.set(level, start + 1);

    return [...enabled.slice(start), ...enabled.slice(0, start)];
  }

  /** Every key of every level, for listing. */
  allKeys(): RoutableKey[] {
    return [...this.keysByLevel.values()].flat();
  }
}

function toRoutableKey(key: ProviderKey): RoutableKey {
  return {
    id: key.id,
    name: key.name,
    level: key.level,
    baseUrl: key.provider,
    providerType: isProviderType(key.providerType) ? key.providerType : 'openai',
    enabled: key.status,
    settings: parseSettings(key.configJson),
    privateLiteralHost: isPrivateLiteral(key.provider),
  };
}

function isPrivateLiteral(baseUrl: string): boolean {
  try {
    const host = new URL(baseUrl).hostname.replace(/^\[(.*)\]$/, '$1');

    return isIP(host) !== 0 && classifyAddress(host) !== null;
  } catch {
    return false;
  }
}

function parseSettings(json: string): Record<string, unknown> {
  if (!json) return {};
  try {
    const value: unknown = JSON.parse(json);

    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

import { GetRoutingSnapshotResponse, Member, ProviderKey } from '@xai/contracts';
import { isIP } from 'node:net';

import { ProviderType, classifyAddress, isProviderType } from '@xai/providers';
import { GlobPattern, LevelMapper, ModelMapper, SwitchOver } from '@xai/routing';

import { KeySelector } from './key-selector';

/** A provider key as the router uses it: no secret, only where and how to call. */
export interface RoutableKey {
  id: string;
  tenantId: string;
  name: string;
  level: number;
  baseUrl: string;
  providerType: ProviderType;
  enabled: boolean;
  settings: Record<string, unknown>;
  /** Changes whenever the owner changes the key (its `updatedAt`); revives a dead key. */
  revision: string;
  /** `Config.weight`: share of first picks in its level (default 1; 0 = standby). */
  weight: number;
  /** `Config.models`: the only models this key serves (patterns); null serves every model. */
  models: readonly GlobPattern[] | null;
  /**
   * Set when the base URL's host is an IP literal in a private or loopback range. Sockets skip
   * DNS (and so the connect-time guard) for literals; the gateway checks this flag instead.
   */
  privateLiteralHost: boolean;
}

/**
 * One tenant's routing state, built once per config version: parsed mappers, the SwitchOver
 * chain, the keys of each level in a stable order, and the weighted rotation of each level.
 */
export class TenantRouting {
  /** Where each level's next call starts (shared by every call of this tenant). */
  readonly selector = new KeySelector();

  private constructor(
    readonly version: number,
    readonly levelMapper: LevelMapper,
    readonly modelMapper: ModelMapper,
    readonly switchOver: SwitchOver,
    readonly defaultLevel: number,
    readonly keysByLevel: ReadonlyMap<number, readonly RoutableKey[]>,
    /** Each member's own ModelMapper (empty when it has none), tried before the owner's. */
    private readonly memberMappers: ReadonlyMap<string, ModelMapper>,
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
      LevelMapper.parse(snapshot.config.levelMapper, STORED),
      ModelMapper.parse(snapshot.config.modelMapper, STORED),
      SwitchOver.parse(snapshot.config.switchOver),
      snapshot.config.defaultLevel || 1,
      keysByLevel,
      memberMappersOf(snapshot.members ?? []),
    );
  }

  /** A member's own ModelMapper; undefined for a member the tenant does not have. */
  memberMapper(memberId: string | undefined): ModelMapper | undefined {
    return memberId === undefined ? undefined : this.memberMappers.get(memberId);
  }

  /** Whether the tenant has this member. */
  hasMember(memberId: string): boolean {
    return this.memberMappers.has(memberId);
  }

  /** Every key of a level, enabled or not, in config's order. */
  keysOf(level: number): readonly RoutableKey[] {
    return this.keysByLevel.get(level) ?? [];
  }

  /** Every key of every level, for listing. */
  allKeys(): RoutableKey[] {
    return [...this.keysByLevel.values()].flat();
  }
}

/** Rules as config stored them: checked when saved, read back without the newer checks. */
const STORED = { stored: true } as const;

function memberMappersOf(members: readonly Member[]): Map<string, ModelMapper> {
  const mappers = new Map<string, ModelMapper>();
  for (const member of members)
    mappers.set(member.id, ModelMapper.parse(member.modelMapper, STORED));

  return mappers;
}

/** Whether a key serves `model` by its own model list (keys without a list serve all). */
export function servesModel(key: RoutableKey, model: string): boolean {
  return key.models === null || key.models.some((pattern) => pattern.matches(model));
}

/** Config's provider-key record as the router uses it. */
export function toRoutableKey(key: ProviderKey): RoutableKey {
  const settings = parseSettings(key.configJson);

  return {
    id: key.id,
    tenantId: key.tenantId,
    name: key.name,
    level: key.level,
    baseUrl: key.provider,
    providerType: isProviderType(key.providerType) ? key.providerType : 'openai',
    enabled: key.status,
    settings,
    revision: key.updatedAt,
    weight: weightOf(settings.weight),
    models: modelsOf(settings.models),
    privateLiteralHost: isPrivateLiteral(key.provider),
  };
}

/** The management API validates both fields; anything else stored falls back to the default. */
function weightOf(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 1;
}

function modelsOf(value: unknown): GlobPattern[] | null {
  if (!Array.isArray(value)) return null;
  const names = value.filter((item): item is string => typeof item === 'string' && item !== '');

  return names.map((name) => new GlobPattern(name));
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

import { Injectable } from '@nestjs/common';

import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayException } from '../errors/gateway.exception';
import { RoutableKey, TenantRouting } from './tenant-routing';

/** Where a call goes: the model sent upstream, its level, and the keys to try in order. */
export interface RoutePlan {
  requestedModel: string;
  upstreamModel: string;
  level: number;
  /** The LevelMapper rule that chose the level, or why the default level was used. */
  levelRule: string;
  /** The ModelMapper rule that renamed the model, if one did. */
  modelRule?: string;
  candidates: RoutableKey[];
}

/**
 * Applies a tenant's rules to a requested model (DESIGN.md section 6): ModelMapper renames it,
 * LevelMapper picks the level of the mapped name (the tenant's default level when nothing
 * matches), and the level's enabled keys are tried round-robin.
 */
@Injectable()
export class RoutePlanner {
  /** Plans a call, or throws naming the level and why no key can serve it. */
  plan(routing: TenantRouting, requestedModel: string): RoutePlan {
    const mapped = routing.modelMapper.resolve(requestedModel);
    const upstreamModel = mapped?.model ?? requestedModel;
    const matched = routing.levelMapper.resolve(upstreamModel);
    const level = matched?.level ?? routing.defaultLevel;
    const levelRule = matched?.rule ?? `default level ${level}`;
    const candidates = routing.rotation(level);

    if (candidates.length === 0) throw noKey(routing, requestedModel, level, levelRule);

    return {
      requestedModel,
      upstreamModel,
      level,
      levelRule,
      modelRule: mapped?.rule,
      candidates,
    };
  }
}

function noKey(
  routing: TenantRouting,
  model: string,
  level: number,
  rule: string,
): GatewayException {
  const configured = routing.keysByLevel.get(level)?.length ?? 0;
  if (configured === 0) {
    return new GatewayException(
      GatewayErrorCode.ModelNotRoutable,
      `No route for model "${model}": level ${level} (${rule}) has no provider keys configured.`,
      { param: 'model' },
    );
  }

  return new GatewayException(
    GatewayErrorCode.NoAvailableKey,
    `No provider key available for model "${model}": all ${configured} key(s) of level ${level} are disabled.`,
  );
}

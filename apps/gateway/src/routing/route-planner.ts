import { Inject, Injectable, Optional } from '@nestjs/common';

import { HEALTH_CLOCK, KeyHealthService } from '../health/key-health.service';
import { Clock, KeyStatus, SYSTEM_CLOCK } from '../health/key-health.types';
import { ModelRefusals } from './model-refusals';
import { noRouteLeft } from './route-exhaustion';
import { RoutableKey, TenantRouting, servesModel } from './tenant-routing';

/** Why a configured key of a level is not tried for this call. */
export type KeyExclusion =
  'disabled' | 'model_not_listed' | 'model_refused' | 'sleeping' | 'trial_busy' | 'dead';

/** Whose ModelMapper rule renamed the model. */
export type ModelRuleSource = 'member' | 'owner';

/** Who a route is planned for: a member's virtual key routes by its member's rules first. */
export interface RouteCaller {
  memberId?: string;
}

/** One configured key of a level, as the planner judged it. */
export interface KeyAssessment {
  key: RoutableKey;
  status: KeyStatus;
  excluded: KeyExclusion | null;
}

/** A key to try; `trial` when it is half-open and needs the trial before the call. */
export interface Candidate {
  key: RoutableKey;
  trial: boolean;
}

/** One level of the route: the keys to try in order, and every key's assessment. */
export interface LevelPlan {
  level: number;
  candidates: Candidate[];
  keys: KeyAssessment[];
}

/** Where a call goes: the model sent upstream, and the levels (SwitchOver chain) to walk. */
export interface RoutePlan {
  requestedModel: string;
  upstreamModel: string;
  /** The level LevelMapper (or the default) chose; `levels[0].level`. */
  level: number;
  /** The LevelMapper rule that chose the level, or why the default level was used. */
  levelRule: string;
  /** The ModelMapper rule that renamed the model, if one did. */
  modelRule?: string;
  /** Whose ModelMapper that rule is: the calling member's, or the owner's. */
  modelRuleSource?: ModelRuleSource;
  /** The chosen level, then the levels SwitchOver leads to, in order. */
  levels: LevelPlan[];
}

/**
 * Applies a tenant's rules to a requested model (DESIGN.md section 6): ModelMapper renames it
 * (the calling member's rules first, then the owner's; the first match wins), LevelMapper picks the level of the mapped name (the tenant's default level when nothing
 * matches), SwitchOver adds the levels to fall back to. In each level the candidates are the
 * enabled keys that serve the model and are neither asleep nor dead, half-open keys first (their
 * one trial), then by weighted round-robin.
 */
@Injectable()
export class RoutePlanner {
  constructor(
    private readonly health: KeyHealthService,
    @Optional() @Inject(HEALTH_CLOCK) private readonly clock: Clock = SYSTEM_CLOCK,
    @Optional() private readonly refusals: ModelRefusals = new ModelRefusals(),
  ) {}

  /** Plans a call, or throws naming each level and why none of its keys can serve it. */
  async plan(
    routing: TenantRouting,
    requestedModel: string,
    caller: RouteCaller = {},
  ): Promise<RoutePlan> {
    const plan = await this.build(routing, requestedModel, caller, true);
    if (!plan.levels.some((level) => level.candidates.length > 0)) {
      throw noRouteLeft(plan, [], this.clock.now());
    }

    return plan;
  }

  /** The same decision without moving the rotation or calling anyone (`GET /x-route`). */
  explain(
    routing: TenantRouting,
    requestedModel: string,
    caller: RouteCaller = {},
  ): Promise<RoutePlan> {
    return this.build(routing, requestedModel, caller, false);
  }

  /**
   * The route of a call only one key can serve, because its provider holds state made with
   * that key (a stored response): that key alone, judged like any other (disabled, asleep,
   * dead, not serving the model). A null `requestedModel` (reading a stored response names
   * none) skips the model's rules. Throws like {@link plan} when the key cannot serve.
   */
  async planOn(
    routing: TenantRouting,
    key: RoutableKey,
    requestedModel: string | null,
    caller: RouteCaller = {},
  ): Promise<RoutePlan> {
    const mapped = requestedModel === null ? undefined : mapModel(routing, requestedModel, caller);
    const upstreamModel = mapped?.model ?? requestedModel ?? '';
    const statuses = await this.health.statuses(key.enabled ? [key] : []);
    const refused = (each: RoutableKey): boolean =>
      requestedModel !== null && this.refusals.refuses(each, upstreamModel, this.clock.now());
    const judgement = { model: requestedModel === null ? null : upstreamModel, refused, statuses };
    // The rotation is left alone: this call does not choose among the level's keys.
    const level = planLevel(routing, key.level, judgement, false, [key]);
    const plan: RoutePlan = {
      requestedModel: requestedModel ?? '',
      upstreamModel,
      level: key.level,
      levelRule: `${key.level}, the key holding the stored response`,
      modelRule: mapped?.rule,
      modelRuleSource: mapped?.source,
      levels: [level],
    };
    if (level.candidates.length === 0) throw noRouteLeft(plan, [], this.clock.now());

    return plan;
  }

  private async build(
    routing: TenantRouting,
    requestedModel: string,
    caller: RouteCaller,
    commit: boolean,
  ): Promise<RoutePlan> {
    const mapped = mapModel(routing, requestedModel, caller);
    const upstreamModel = mapped?.model ?? requestedModel;
    const matched = routing.levelMapper.resolve(upstreamModel);
    const level = matched?.level ?? routing.defaultLevel;
    const chain = routing.switchOver.chain(level);
    const keys = chain.flatMap((each) => [...routing.keysOf(each)]);
    const statuses = await this.health.statuses(keys.filter((key) => key.enabled));
    const refused = (key: RoutableKey): boolean =>
      this.refusals.refuses(key, upstreamModel, this.clock.now());
    const levels = chain.map((each) =>
      planLevel(routing, each, { model: upstreamModel, refused, statuses }, commit),
    );

    return {
      requestedModel,
      upstreamModel,
      level,
      levelRule: matched?.rule ?? `${DEFAULT_LEVEL} ${level}`,
      modelRule: mapped?.rule,
      modelRuleSource: mapped?.source,
      levels,
    };
  }
}

/** The member's ModelMapper first, then the owner's: member rules beat owner rules. */
export function mapModel(
  routing: TenantRouting,
  model: string,
  caller: RouteCaller,
): { model: string; rule: string; source: ModelRuleSource } | undefined {
  const byMember = routing.memberMapper(caller.memberId)?.resolve(model);
  if (byMember) return { ...byMember, source: 'member' };
  const byOwner = routing.modelMapper.resolve(model);

  return byOwner ? { ...byOwner, source: 'owner' } : undefined;
}

const DEFAULT_LEVEL = 'default level';

/**
 * The rules behind a route, for `x-xai-route-rule`: the ModelMapper rule (if any), the
 * LevelMapper rule (or the default level), and the SwitchOver steps taken to reach `level`.
 */
export function routeRuleOf(plan: RoutePlan, level: number): string {
  const whose = plan.modelRuleSource === 'member' ? 'member model' : 'model';
  const parts = plan.modelRule ? [`${whose} ${plan.modelRule}`] : [];
  // A LevelMapper rule reads `level gpt-4*=1`; no rule, `default level 1`.
  parts.push(plan.levelRule.startsWith(DEFAULT_LEVEL) ? plan.levelRule : `level ${plan.levelRule}`);
  const chain = plan.levels.map((each) => each.level);
  const steps = chain.slice(0, chain.indexOf(level) + 1);
  if (steps.length > 1) {
    parts.push(
      `switch-over ${steps
        .slice(1)
        .map((to, i) => `${steps[i]}=${to}`)
        .join(',')}`,
    );
  }

  return parts.join('; ');
}

/** What a key is judged by: the model sent upstream, refusals of it, and the keys' health. */
interface Judgement {
  /** Null when the call names no model (it then serves whatever the key serves). */
  model: string | null;
  refused: (key: RoutableKey) => boolean;
  statuses: ReadonlyMap<string, KeyStatus>;
}

function planLevel(
  routing: TenantRouting,
  level: number,
  judgement: Judgement,
  commit: boolean,
  levelKeys: readonly RoutableKey[] = routing.keysOf(level),
): LevelPlan {
  const keys = levelKeys.map((key) => assess(key, judgement));
  const usable = keys.filter((each) => each.excluded === null);
  const trials = usable.filter((each) => each.status.kind === 'half_open');
  const active = usable.filter((each) => each.status.kind === 'active').map((each) => each.key);
  // The rotation moves only when the level has a key that may be called.
  const ordered = active.length > 0 ? routing.selector.order(active, commit) : [];

  return {
    level,
    candidates: [
      ...trials.map((each) => ({ key: each.key, trial: true })),
      ...ordered.map((key) => ({ key, trial: false })),
    ],
    keys,
  };
}

function assess(key: RoutableKey, judgement: Judgement): KeyAssessment {
  const status = judgement.statuses.get(key.id) ?? { kind: 'active' };

  return { key, status, excluded: exclusion(key, judgement, status) };
}

function exclusion(key: RoutableKey, judgement: Judgement, status: KeyStatus): KeyExclusion | null {
  if (!key.enabled) return 'disabled';
  if (judgement.model !== null && !servesModel(key, judgement.model)) return 'model_not_listed';
  if (status.kind !== 'dead' && judgement.refused(key)) return 'model_refused';
  switch (status.kind) {
    case 'active':
      return null;
    case 'sleeping':
      return 'sleeping';
    case 'half_open':
      return status.busy ? 'trial_busy' : null;
    case 'dead':
      return 'dead';
  }
}

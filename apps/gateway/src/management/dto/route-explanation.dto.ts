import { GatewayException } from '../../errors/gateway.exception';
import { toOpenAiError } from '../../errors/openai-error';
import { KeyStatus } from '../../health/key-health.types';
import { KeyAssessment, LevelPlan, RoutePlan, routeRuleOf } from '../../routing/route-planner';

/** One configured key of a level, as `GET /x-route` explains it. */
export interface RouteKeyView {
  ID: string;
  Name: string;
  Weight: number;
  /** The key's own model list (`Config.models`); null when it serves every model. */
  Models: string[] | null;
  Enabled: boolean;
  State: KeyStatus['kind'];
  Reason: string | null;
  /** When a sleeping key wakes (ISO 8601). */
  Until: string | null;
  /** Why the key would not be tried: `disabled`, `model_not_listed`, `sleeping`, `dead`, … */
  Excluded: string | null;
}

/** One level of the route. */
export interface RouteLevelView {
  Level: number;
  /** The ids of the keys a call would try, in order. */
  Order: string[];
  Keys: RouteKeyView[];
}

/** `GET /x-route?model=…`: the decision a call would get, without calling anyone. */
export interface RouteExplanationView {
  Model: string;
  /** The member whose call is explained; null for the owner's. */
  MemberID: string | null;
  UpstreamModel: string;
  ModelRule: string | null;
  /** Whose ModelMapper rule renamed the model: `member`, `owner`, or null when none did. */
  ModelRuleSource: 'member' | 'owner' | null;
  Level: number;
  LevelRule: string;
  /** The levels the call would walk (the SwitchOver chain). */
  Levels: RouteLevelView[];
  /** The key a call would try first, and the rules behind it; null when none is left. */
  Decision: {
    Level: number;
    ProviderKeyID: string;
    ProviderKeyName: string;
    /** Whether that call would be the half-open trial of a key whose sleep ended. */
    Trial: boolean;
    RouteRule: string;
  } | null;
  /** The error a call would get when no key is left. */
  Error: { Status: number; Code: string; Message: string } | null;
}

/** Maps a plan (and the error it would end in) to the API's view. */
export function toRouteExplanationView(
  plan: RoutePlan,
  error: GatewayException | null,
  memberId: string | null = null,
): RouteExplanationView {
  const first = plan.levels.find((level) => level.candidates.length > 0);
  const candidate = first?.candidates[0];

  return {
    Model: plan.requestedModel,
    MemberID: memberId,
    UpstreamModel: plan.upstreamModel,
    ModelRule: plan.modelRule ?? null,
    ModelRuleSource: plan.modelRuleSource ?? null,
    Level: plan.level,
    LevelRule: plan.levelRule,
    Levels: plan.levels.map(toLevelView),
    Decision:
      first && candidate
        ? {
            Level: first.level,
            ProviderKeyID: candidate.key.id,
            ProviderKeyName: candidate.key.name,
            Trial: candidate.trial,
            RouteRule: routeRuleOf(plan, first.level),
          }
        : null,
    Error: error ? errorView(error) : null,
  };
}

function toLevelView(level: LevelPlan): RouteLevelView {
  return {
    Level: level.level,
    Order: level.candidates.map((candidate) => candidate.key.id),
    Keys: level.keys.map(toKeyView),
  };
}

function toKeyView({ key, status, excluded }: KeyAssessment): RouteKeyView {
  return {
    ID: key.id,
    Name: key.name,
    Weight: key.weight,
    Models: key.models ? key.models.map((pattern) => pattern.source) : null,
    Enabled: key.enabled,
    State: status.kind,
    Reason: status.kind === 'active' ? null : status.reason,
    Until:
      status.kind === 'sleeping' || status.kind === 'half_open'
        ? new Date(status.until).toISOString()
        : null,
    Excluded: excluded,
  };
}

function errorView(error: GatewayException): RouteExplanationView['Error'] {
  const { status, body } = toOpenAiError(error, '');

  return { Status: status, Code: body.error.code, Message: body.error.message };
}

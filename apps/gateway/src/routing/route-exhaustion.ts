import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayException } from '../errors/gateway.exception';
import { KeyStatus } from '../health/key-health.types';
import type { KeyAssessment, LevelPlan, RoutePlan } from './route-planner';
import { RoutableKey } from './tenant-routing';

/** A key that was tried (or could not be used) during a call, and how that went. */
export interface FailedAttempt {
  key: RoutableKey;
  /** `HTTP 503`, `connect timeout`, `key unavailable`, … never provider text or a secret. */
  detail: string;
  /** Whether the provider throttled the key (a 429 that was not a quota refusal). */
  rateLimited: boolean;
  /** Whether the provider refused this model to this key (the key itself is fine). */
  modelRefused?: boolean;
  /** The key's health after the failure was reported. */
  statusAfter: KeyStatus;
}

/** How a route ran out, for {@link RouteExhaustedException}. */
export interface Exhaustion {
  status: 404 | 429 | 503;
  /** `no_available_key` unless said otherwise. */
  code?: GatewayErrorCode;
  /** Seconds until the first sleeping key wakes, when one does. */
  retryAfterSeconds?: number;
}

/**
 * No key of a route could serve the call: the client gets 429 when every key that could serve
 * is held back by a rate limit (it passes by itself), else 503, with `Retry-After` when some key
 * wakes up by itself; 503 with its own code when no key is configured at all; 404 when every provider
 * refused the model. Carries the route's level and upstream model for the explaining headers.
 */
export class RouteExhaustedException extends GatewayException {
  readonly retryAfterSeconds?: number;
  /** The level LevelMapper chose, and the model that would have been sent upstream. */
  readonly level: number;
  readonly upstreamModel: string;

  constructor(message: string, plan: RoutePlan, exhaustion: Exhaustion) {
    const code = exhaustion.code ?? GatewayErrorCode.NoAvailableKey;
    super(code, message, {
      status: exhaustion.status,
      param: code === GatewayErrorCode.NoAvailableKey ? undefined : 'model',
    });
    this.retryAfterSeconds = exhaustion.retryAfterSeconds;
    this.level = plan.level;
    this.upstreamModel = plan.upstreamModel;
  }
}

/** What became of one key, for the summary. */
type Outcome =
  | { kind: 'disabled' | 'model_not_listed' | 'model_refused' }
  | { kind: 'trial_busy'; rateLimited: boolean }
  | { kind: 'asleep'; until: number; reason: string; rateLimited: boolean }
  | { kind: 'dead'; reason: string }
  | { kind: 'failed'; detail: string; rateLimited: boolean };

/**
 * The error for a call that no key could serve, naming each level of the route and why (none
 * configured, disabled, asleep until when, dead, failed, model refused): never a key's secret,
 * name or id, since the caller may not be the owner. 503 when no key is configured; when every
 * key that could serve is asleep, `Retry-After` until the first wakes, with 429 if rate limits
 * put them all to sleep and 503 if server errors, timeouts or resets did (the provider is
 * failing, not throttling); 404 when every such key's provider refused the model; else 503.
 */
export function noRouteLeft(
  plan: RoutePlan,
  failures: readonly FailedAttempt[],
  now: number,
): RouteExhaustedException {
  const model = `model "${plan.requestedModel}"`;
  if (plan.levels.every((level) => level.keys.length === 0)) {
    const levels = plan.levels.map((level) => `level ${level.level}`).join(', then ');

    return new RouteExhaustedException(
      `No route for ${model}: ${levels} (${plan.levelRule}) has no provider keys configured.`,
      plan,
      { status: 503, code: GatewayErrorCode.ModelNotRoutable },
    );
  }
  const outcomes = plan.levels.map((level) => outcomesOf(level, failures, now));
  const summary = plan.levels.map((level, i) => describeLevel(level, outcomes[i])).join('; ');
  const all = outcomes.flat();
  if (onlyModelRefused(all)) {
    return new RouteExhaustedException(
      `The providers of ${model} (${plan.levelRule}) refused it to every key: ${summary}.`,
      plan,
      { status: 404, code: GatewayErrorCode.ModelRefused },
    );
  }
  // A key after its sleep may serve as soon as its trial ends: that is "now".
  const wakes = all.flatMap((outcome) =>
    outcome.kind === 'asleep' ? [outcome.until] : outcome.kind === 'trial_busy' ? [now] : [],
  );
  const allAsleep = onlyAsleep(all);
  const throttled = allAsleep && serving(all).every((outcome) => isRateLimited(outcome));
  const retryAfter =
    wakes.length > 0
      ? Math.max(1, Math.ceil((Math.min(...wakes) - now) / 1000))
      : allAsleep
        ? 1
        : undefined;
  const message = `No provider key could serve ${model} (${plan.levelRule}): ${summary}.`;

  return new RouteExhaustedException(message, plan, {
    status: throttled ? 429 : 503,
    retryAfterSeconds: retryAfter,
  });
}

function outcomesOf(level: LevelPlan, failures: readonly FailedAttempt[], now: number): Outcome[] {
  return level.keys.map((assessment) => {
    const failure = failures.find((each) => each.key.id === assessment.key.id);
    const outcome = failure ? afterFailure(failure) : fromAssessment(assessment);

    // A sleep that ended while the call walked the pool (a slow key, say) is over: no wake
    // time already past is shown; the key waits for its trial.
    return outcome.kind === 'asleep' && outcome.until <= now
      ? { kind: 'trial_busy', rateLimited: outcome.rateLimited }
      : outcome;
  });
}

function afterFailure(failure: FailedAttempt): Outcome {
  if (failure.modelRefused) return { kind: 'model_refused' };
  const status = failure.statusAfter;
  if (status.kind === 'dead') return { kind: 'dead', reason: status.reason ?? failure.detail };
  if (status.kind === 'sleeping') {
    // The sleep's own reason, as the next call will see it, so both get the same status.
    const rateLimited = status.reason === null ? failure.rateLimited : isRateLimitSleep(status);
    const reason = status.reason ?? failure.detail;

    return { kind: 'asleep', until: status.until, reason, rateLimited };
  }

  return { kind: 'failed', detail: failure.detail, rateLimited: failure.rateLimited };
}

function fromAssessment({ status, excluded }: KeyAssessment): Outcome {
  if (status.kind === 'dead') return { kind: 'dead', reason: status.reason ?? 'refused' };
  if (status.kind === 'sleeping') {
    const reason = status.reason ?? 'failing';

    return { kind: 'asleep', until: status.until, reason, rateLimited: isRateLimitSleep(status) };
  }
  if (excluded === 'disabled' || excluded === 'model_not_listed' || excluded === 'model_refused') {
    return { kind: excluded };
  }
  // A half-open key whose trial another call took (maybe while this one walked the pool).
  if (excluded === 'trial_busy' || status.kind === 'half_open') {
    return { kind: 'trial_busy', rateLimited: isRateLimitSleep(status) };
  }

  return { kind: 'failed', detail: 'not tried', rateLimited: false };
}

function describeLevel(level: LevelPlan, outcomes: readonly Outcome[]): string {
  if (outcomes.length === 0) return `level ${level.level} has no provider keys configured`;
  const parts: string[] = [];
  const count = (kind: Outcome['kind']): Outcome[] => outcomes.filter((o) => o.kind === kind);
  const add = (items: Outcome[], text: (n: number) => string): void => {
    if (items.length > 0) parts.push(text(items.length));
  };
  add(count('disabled'), (n) => `${n} disabled`);
  add(count('model_not_listed'), (n) => `${n} not serving this model`);
  add(count('model_refused'), (n) => `${n} refused this model by the provider`);
  const asleep = count('asleep') as Extract<Outcome, { kind: 'asleep' }>[];
  add(asleep, (n) => {
    const wake = new Date(Math.min(...asleep.map((o) => o.until))).toISOString();

    return `${n} asleep until ${wake} (${distinct(asleep.map((o) => o.reason))})`;
  });
  add(count('trial_busy'), (n) => `${n} being tested after a sleep`);
  const dead = count('dead') as Extract<Outcome, { kind: 'dead' }>[];
  add(dead, (n) => `${n} dead (${distinct(dead.map((o) => o.reason))})`);
  const failed = count('failed') as Extract<Outcome, { kind: 'failed' }>[];
  add(failed, (n) => `${n} failed (${distinct(failed.map((o) => o.detail))})`);
  const all = outcomes.length === 1 ? 'its only key' : `all ${outcomes.length} keys`;

  return `level ${level.level}, ${all}: ${parts.join(', ')}`;
}

/** The keys that could have served the model, had they been well (not disabled or unlisted). */
function serving(outcomes: readonly Outcome[]): Outcome[] {
  return outcomes.filter((o) => o.kind !== 'disabled' && o.kind !== 'model_not_listed');
}

/**
 * True when every key that could serve is asleep, about to be tried after a sleep, or was just
 * throttled: waiting is all it takes (429).
 */
function onlyAsleep(outcomes: readonly Outcome[]): boolean {
  const keys = serving(outcomes);

  return (
    keys.length > 0 &&
    keys.every(
      (o) =>
        o.kind === 'asleep' || o.kind === 'trial_busy' || (o.kind === 'failed' && o.rateLimited),
    )
  );
}

/** Whether a key is held back by its provider's rate limit (so waiting is the answer: 429). */
function isRateLimited(outcome: Outcome): boolean {
  return 'rateLimited' in outcome && outcome.rateLimited;
}

/** Whether a key's sleep (or the half-open test after it) was caused by a rate limit. */
function isRateLimitSleep(status: KeyStatus): boolean {
  return 'reason' in status && status.reason === 'rate_limited';
}

/** True when the providers refused the model to every key that could serve it. */
function onlyModelRefused(outcomes: readonly Outcome[]): boolean {
  const keys = serving(outcomes);

  return keys.length > 0 && keys.every((o) => o.kind === 'model_refused');
}

/** The distinct reasons, readable: `rate_limited` becomes `rate limited`. */
function distinct(values: readonly string[]): string {
  return [...new Set(values.map((value) => value.replace(/_/g, ' ')))].join(', ');
}

import { Inject, Injectable, Optional } from '@nestjs/common';
import { SecretScrubber, TranslationException } from '@xai/providers';
import { Dispatcher } from 'undici';

import { Caller } from '../auth/caller';
import { RequestTrace } from '../audit/request-trace';
import { GatewayException } from '../errors/gateway.exception';
import { GATEWAY_CONFIG, GatewayConfig } from '../gateway.config';
import { AttemptVerdict, failureVerdict } from '../health/attempt-verdict';
import { KeyHealthService } from '../health/key-health.service';
import { ModelRefusals } from '../routing/model-refusals';
import { FailedAttempt, noRouteLeft } from '../routing/route-exhaustion';
import { RoutePlan, routeRuleOf } from '../routing/route-planner';
import { RoutableKey } from '../routing/tenant-routing';
import { judgeAnswer } from './answer-judge';
import { AnswerReading } from './chat-call';
import { IdleLimits, idleLimitsOf } from './idle-limits';
import { ProviderBody } from './provider-body';
import { ProviderCall, SentCall, UpstreamRequest } from './provider-call';
import { isSpoolClosed } from './upload-spool';

export type { UpstreamRequest } from './provider-call';

/** The provider's answer that will be relayed, with the route that got it. */
export interface UpstreamAnswer {
  key: RoutableKey;
  level: number;
  /** Calls made to providers for this request, this one included. */
  attempts: number;
  /** The rules that chose this route (`x-xai-route-rule`). */
  routeRule: string;
  response: UpstreamResponse;
  /** How to read the answer of the call as prepared for this key, when the request prepares one. */
  prepared?: AnswerReading;
  /** Tells key health that the answer broke after its first byte (it cannot be retried). */
  reportBroken(error: unknown): void;
  /**
   * Scrubs text from this answer (an error body, a header) before it reaches the caller: the
   * exact secret this attempt sent, in any encoding, and anything that looks like a key.
   */
  scrub: SecretScrubber;
}

/**
 * A provider's answer. Its body is read as chunks only, within the silence limits and with the
 * attempt's secret removed; what was read to judge it (an error body, a stream's first event)
 * is relayed too.
 */
export type UpstreamResponse = Omit<Dispatcher.ResponseData, 'body'> & { body: ProviderBody };

type Answered = Omit<SentCall, 'response'> & {
  response: UpstreamResponse;
  verdict: AttemptVerdict;
};

/** The audit event keeps at most this many attempt details. */
const MAX_ATTEMPT_DETAILS = 64;

/**
 * The router's only retry loop (DESIGN.md section 6). Walks the plan's levels in SwitchOver
 * order and each level's candidates once, until a key gets an answer worth relaying: a success,
 * or a refusal the request itself caused. Every other answer (429, 5xx, 401/403, quota) or
 * failure (timeout, reset) is reported to key health, which sets the key aside, and the next
 * key is tried; a 403 refusing only the model sets the key aside for that model alone. When
 * none is left, the error names each level and why.
 */
@Injectable()
export class UpstreamAttempts {
  private readonly idle: IdleLimits;

  constructor(
    private readonly calls: ProviderCall,
    private readonly health: KeyHealthService,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    @Optional() private readonly refusals: ModelRefusals = new ModelRefusals(),
  ) {
    this.idle = idleLimitsOf(config);
  }

  /** The first relayable answer, or a {@link GatewayException} saying why there is none. */
  async firstAnswer(
    caller: Caller,
    plan: RoutePlan,
    request: UpstreamRequest,
    trace: RequestTrace,
  ): Promise<UpstreamAnswer> {
    const failures: FailedAttempt[] = [];
    let unusable: GatewayException | undefined;
    let reached = 0;
    for (const level of plan.levels) {
      for (const { key, trial } of level.candidates) {
        if (trial && !(await this.health.claimTrial(key))) continue;
        const outcome = await this.attempt(caller, key, request, trace);
        if ('response' in outcome) return this.answer(plan, level.level, key, outcome, trace);
        failures.push(outcome.failure);
        // Only this model is refused to the key: later calls for it skip the key at once.
        if (outcome.failure.modelRefused) {
          this.refusals.remember(key, plan.upstreamModel, Date.now());
        }
        if (outcome.unusable) unusable = outcome.unusable;
        else reached++;
      }
    }
    // No key reached a provider (the caller cannot open them, say): that is the error to show.
    if (unusable && reached === 0) throw unusable;

    throw noRouteLeft(plan, failures, Date.now());
  }

  private async attempt(
    caller: Caller,
    key: RoutableKey,
    request: UpstreamRequest,
    trace: RequestTrace,
  ): Promise<Answered | { failure: FailedAttempt; unusable?: GatewayException }> {
    const started = Date.now();
    trace.attempts++;
    let verdict: AttemptVerdict;
    let status: number | null = null;
    try {
      const sent = await this.calls.send(caller, key, request, trace.requestId);
      const { response, prepared, scrub } = sent;
      status = response.statusCode;
      const judged = await judgeAnswer(response, scrub, this.idle);
      verdict = judged.verdict;
      if (judged.body) {
        record(trace, key, status, verdict, started);

        return { response: { ...response, body: judged.body }, prepared, scrub, verdict };
      }
    } catch (error) {
      // A request the key's protocol cannot express is the caller's fault, not the key's; an
      // upload the router no longer has (its call ended) is no one's but the router's.
      if (request.signal.aborted || error instanceof TranslationException) throw error;
      if (isSpoolClosed(error)) throw error;
      if (error instanceof GatewayException) return this.unusable(key, error, trace, started);
      verdict = failureVerdict(error);
    }
    const statusAfter = await this.health.report(key, verdict);
    record(trace, key, status, verdict, started);

    const modelRefused = verdict.kind === 'model_refused';
    const failure = { key, detail: detailOf(verdict), rateLimited: isRateLimit(verdict) };

    return { failure: { ...failure, modelRefused, statusAfter } };
  }

  private answer(
    plan: RoutePlan,
    level: number,
    key: RoutableKey,
    outcome: Answered,
    trace: RequestTrace,
  ): UpstreamAnswer {
    void this.health.report(key, outcome.verdict);
    trace.level = level;
    trace.providerKeyId = key.id;

    return {
      key,
      level,
      attempts: trace.attempts,
      routeRule: routeRuleOf(plan, level),
      response: outcome.response,
      prepared: outcome.prepared,
      reportBroken: (error) => void this.health.report(key, failureVerdict(error)),
      scrub: outcome.scrub,
    };
  }

  /** A key the gateway itself could not use: not the provider's fault, so no health change. */
  private unusable(
    key: RoutableKey,
    error: GatewayException,
    trace: RequestTrace,
    started: number,
  ): { failure: FailedAttempt; unusable: GatewayException } {
    if (trace.attemptsDetail.length < MAX_ATTEMPT_DETAILS) {
      trace.recordAttempt({
        providerKeyId: key.id,
        status: null,
        errorClass: 'key_unusable',
        ms: Date.now() - started,
      });
    }
    const failure = { key, detail: 'not usable', rateLimited: false, statusAfter: ACTIVE };

    return { failure, unusable: error };
  }
}

const ACTIVE = { kind: 'active' } as const;

function record(
  trace: RequestTrace,
  key: RoutableKey,
  status: number | null,
  verdict: AttemptVerdict,
  started: number,
): void {
  if (trace.attemptsDetail.length >= MAX_ATTEMPT_DETAILS) return;
  trace.recordAttempt({
    providerKeyId: key.id,
    status,
    errorClass: errorClassOf(verdict),
    ms: Date.now() - started,
  });
}

function errorClassOf(verdict: AttemptVerdict): string | null {
  switch (verdict.kind) {
    case 'success':
      return null;
    case 'client_error':
      return 'client';
    case 'rate_limited':
      return 'rate_limited';
    case 'model_refused':
      return 'model_refused';
    case 'transient':
    case 'fatal':
      return verdict.reason;
  }
}

function detailOf(verdict: AttemptVerdict): string {
  return 'detail' in verdict ? verdict.detail : verdict.kind;
}

function isRateLimit(verdict: AttemptVerdict): boolean {
  return verdict.kind === 'rate_limited';
}

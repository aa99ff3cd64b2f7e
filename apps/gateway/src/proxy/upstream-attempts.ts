import { Inject, Injectable, Optional } from '@nestjs/common';
import {
  HeaderBag,
  ProviderAdapter,
  ProviderKeyTarget,
  TranslationException,
  providerAdapter,
  SecretScrubber,
  upstreamRequestHeaders,
} from '@xai/providers';
import { Dispatcher } from 'undici';

import { Caller } from '../auth/caller';
import { RequestTrace } from '../audit/request-trace';
import { ProviderSecretStore } from '../custody/provider-secret.store';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayException } from '../errors/gateway.exception';
import { GATEWAY_CONFIG, GatewayConfig } from '../gateway.config';
import {
  AttemptVerdict,
  answerVerdict,
  failureVerdict,
  streamErrorVerdict,
  verdictNeedsBody,
} from '../health/attempt-verdict';
import { KeyHealthService } from '../health/key-health.service';
import { ModelRefusals } from '../routing/model-refusals';
import { FailedAttempt, noRouteLeft } from '../routing/route-exhaustion';
import { RoutePlan, routeRuleOf } from '../routing/route-planner';
import { RoutableKey } from '../routing/tenant-routing';
import { PreparedCall } from './chat-call';
import { IdleLimits, idleLimitsOf } from './idle-limits';
import { ProviderBody } from './provider-body';
import { ReplayableBody, UpstreamClient } from './upstream.client';

/** The provider's answer that will be relayed, with the route that got it. */
export interface UpstreamAnswer {
  key: RoutableKey;
  level: number;
  /** Calls made to providers for this request, this one included. */
  attempts: number;
  /** The rules that chose this route (`x-xai-route-rule`). */
  routeRule: string;
  response: UpstreamResponse;
  /** The call as prepared for this key, when the request prepares one per key. */
  prepared?: PreparedCall;
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

/** What to send to each candidate key. */
export interface UpstreamRequest {
  path: string;
  method: 'GET' | 'POST' | 'DELETE';
  /** The client's query string (without `?`), added to the provider's URL (pass-through calls). */
  query?: string;
  /** The body; chunks are sent in order (and again, as they are, on a retry). */
  body?: string | Buffer[] | ReplayableBody;
  /** The body's content type (`application/json` unless set). */
  contentType?: string;
  /** The upstream model, which Azure keys turn into a deployment. */
  model?: string;
  /** The client's headers, passed on as the header policy allows (pass-through calls). */
  clientHeaders?: HeaderBag;
  signal: AbortSignal;
  /** Builds the call for each key in its own protocol; without it, only OpenAI-type keys serve. */
  prepare?: (key: RoutableKey, secret: string) => PreparedCall;
}

type Sent = {
  response: Dispatcher.ResponseData;
  prepared?: PreparedCall;
  scrub: SecretScrubber;
};
type Answered = Omit<Sent, 'response'> & { response: UpstreamResponse; verdict: AttemptVerdict };

/** The most of an error body read to classify it (quota or rate limit). */
const ERROR_BODY_LIMIT = 64 * 1024;
/** The audit event keeps at most this many attempt details. */
const MAX_ATTEMPT_DETAILS = 64;

/**
 * The router's only retry loop (DESIGN.md section 6). Walks the plan's levels in SwitchOver
 * order and each level's candidates once, until a key gets an answer worth relaying: a success,
 * or a refusal the request itself caused. Every other answer (429, 5xx, 401/403, quota) or
 * failure (timeout, reset) is reported to key health, which sets the key aside, and the next
 * key is tried; a 403 refusing only the model sets the key aside for that model alone. When none is left, the error names each level and why.
 */
@Injectable()
export class UpstreamAttempts {
  private readonly idle: IdleLimits;

  constructor(
    private readonly secrets: ProviderSecretStore,
    private readonly upstream: UpstreamClient,
    private readonly health: KeyHealthService,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
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
      const { response, prepared, scrub } = await this.call(caller, key, request, trace.requestId);
      status = response.statusCode;
      const judged = await this.judge(response, scrub);
      verdict = judged.verdict;
      if (judged.body) {
        record(trace, key, status, verdict, started);

        return { response: { ...response, body: judged.body }, prepared, scrub, verdict };
      }
    } catch (error) {
      // A request the key's protocol cannot express is the caller's fault, not the key's.
      if (request.signal.aborted || error instanceof TranslationException) throw error;
      if (error instanceof GatewayException) return this.unusable(key, error, trace, started);
      verdict = failureVerdict(error);
    }
    const statusAfter = await this.health.report(key, verdict);
    record(trace, key, status, verdict, started);

    const modelRefused = verdict.kind === 'model_refused';
    const failure = { key, detail: detailOf(verdict), rateLimited: isRateLimit(verdict) };

    return { failure: { ...failure, modelRefused, statusAfter } };
  }

  /**
   * The verdict on an answer, reading no more of it than that takes: the error body of a 400,
   * 403 or 429, the first event of a stream (one that opens with an error has sent the caller
   * nothing, so the next key may serve). `body` is set when the answer is to be relayed, whole,
   * what was read included; otherwise the answer has been let go.
   */
  private async judge(
    response: Dispatcher.ResponseData,
    scrub: SecretScrubber,
  ): Promise<{ verdict: AttemptVerdict; body?: ProviderBody }> {
    const { statusCode: status, headers } = response;
    const body = new ProviderBody(response.body, this.idle, scrub);
    if (verdictNeedsBody(status)) {
      const head = await body.head(ERROR_BODY_LIMIT);
      const verdict = answerVerdict(status, headers, Date.now(), head.text);
      if (relayable(verdict)) return { verdict, body };
      if (!head.complete) body.destroy();

      return { verdict };
    }
    const verdict = answerVerdict(status, headers, Date.now());
    if (!relayable(verdict)) {
      // Read out (a short body), so the connection can be reused.
      await response.body.dump();

      return { verdict };
    }
    if (status !== 200 || !String(headers['content-type']).includes('text/event-stream')) {
      return { verdict, body };
    }
    const event = await body.firstEvent(ERROR_BODY_LIMIT);
    const streamVerdict = event && streamErrorVerdict(event);
    if (!streamVerdict || relayable(streamVerdict)) {
      return { verdict: streamVerdict ?? verdict, body };
    }
    body.destroy();

    return { verdict: streamVerdict };
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

  private async call(
    caller: Caller,
    key: RoutableKey,
    request: UpstreamRequest,
    requestId: string,
  ): Promise<Sent> {
    const adapter = providerAdapter(key.providerType);
    if (!request.prepare && adapter.protocol !== 'openai') {
      throw new GatewayException(
        GatewayErrorCode.InvalidRequest,
        `/v1${request.path} is served by OpenAI-type provider keys only (openai, azure); ` +
          `the key routed to is of type "${key.providerType}".`,
      );
    }
    if (key.privateLiteralHost && !this.config.XAI_ALLOW_PRIVATE_UPSTREAMS) {
      throw new GatewayException(
        GatewayErrorCode.UpstreamRefused,
        'The provider key points at a private address, and private upstreams are not allowed.',
      );
    }
    const secret = await this.secrets.secretFor(caller, key, requestId);
    // A closure, so the answer can scrub with the secret without carrying it as a field.
    const scrub = this.secrets.scrubberFor(key, secret);
    if (request.prepare) {
      const prepared = request.prepare(key, secret);
      const { url, headers, body } = prepared;
      const response = await this.upstream.send({
        url,
        method: 'POST',
        headers,
        body,
        signal: request.signal,
      });

      return { response, prepared, scrub };
    }
    const target = { baseUrl: key.baseUrl, secret, settings: key.settings };
    const response = await this.upstream.send({
      url: withQuery(
        adapter.url(target, { kind: 'path', path: request.path, model: request.model }),
        request.query,
      ),
      method: request.method,
      headers: passThroughHeaders(adapter, target, request),
      body: request.body,
      signal: request.signal,
    });

    return { response, scrub };
  }
}

const ACTIVE = { kind: 'active' } as const;

/** The provider's URL with the client's query added; the URL's own parameters (Azure's `api-version`) win. */
function withQuery(url: string, query: string | undefined): string {
  if (!query) return url;
  const target = new URL(url);
  const own = new Set(target.searchParams.keys());
  for (const [name, value] of new URLSearchParams(query)) {
    if (!own.has(name)) target.searchParams.append(name, value);
  }

  return target.toString();
}

/** Headers of a call in the caller's own protocol: the key's, the body's type and length. */
function passThroughHeaders(
  adapter: ProviderAdapter,
  target: ProviderKeyTarget,
  request: UpstreamRequest,
): Record<string, string> {
  const headers: Record<string, string> = {
    accept: 'application/json, text/event-stream',
    ...upstreamRequestHeaders(adapter, target, request.clientHeaders ?? {}, 'openai'),
    'content-type': request.contentType ?? 'application/json',
  };
  // A body-less call (a GET, a DELETE) says nothing of a body's type.
  if (request.body === undefined) delete headers['content-type'];
  if (Array.isArray(request.body)) {
    const length = request.body.reduce((sum, chunk) => sum + chunk.length, 0);
    headers['content-length'] = String(length);
  } else if (typeof request.body === 'object') {
    headers['content-length'] = String(request.body.size);
  }

  return headers;
}

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

/** Whether an answer goes to the caller: a success, or a refusal the request caused. */
function relayable(verdict: AttemptVerdict): boolean {
  return verdict.kind === 'success' || verdict.kind === 'client_error';
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

import { Inject, Injectable } from '@nestjs/common';
import { TranslationException, upstreamUrl } from '@xai/providers';
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
  verdictNeedsBody,
} from '../health/attempt-verdict';
import { KeyHealthService } from '../health/key-health.service';
import { FailedAttempt, noRouteLeft } from '../routing/route-exhaustion';
import { RoutePlan, routeRuleOf } from '../routing/route-planner';
import { RoutableKey } from '../routing/tenant-routing';
import { PreparedCall } from './chat-call';
import { UpstreamClient } from './upstream.client';

/** The provider's answer that will be relayed, with the route that got it. */
export interface UpstreamAnswer {
  key: RoutableKey;
  level: number;
  /** Calls made to providers for this request, this one included. */
  attempts: number;
  /** The rules that chose this route (`x-xai-route-rule`). */
  routeRule: string;
  response: Dispatcher.ResponseData;
  /** The call as prepared for this key, when the request prepares one per key. */
  prepared?: PreparedCall;
  /** Tells key health that the answer broke after its first byte (it cannot be retried). */
  reportBroken(error: unknown): void;
}

/** What to send to each candidate key. */
export interface UpstreamRequest {
  path: string;
  method: 'GET' | 'POST';
  body?: string;
  signal: AbortSignal;
  /** Builds the call for each key in its own protocol; without it, only OpenAI keys serve. */
  prepare?: (key: RoutableKey, secret: string) => PreparedCall;
}

type Sent = { response: Dispatcher.ResponseData; prepared?: PreparedCall };
type Answered = Sent & { verdict: AttemptVerdict };

/** The most of an error body read to classify it (quota or rate limit). */
const ERROR_BODY_LIMIT = 64 * 1024;
/** The audit event keeps at most this many attempt details. */
const MAX_ATTEMPT_DETAILS = 64;

/**
 * The router's only retry loop (DESIGN.md section 6). Walks the plan's levels in SwitchOver
 * order and each level's candidates once, until a key gets an answer worth relaying: a success,
 * or a refusal the request itself caused. Every other answer (429, 5xx, 401/403, quota) or
 * failure (timeout, reset) is reported to key health, which sets the key aside, and the next
 * key is tried. When none is left, the error names each level and why.
 */
@Injectable()
export class UpstreamAttempts {
  constructor(
    private readonly secrets: ProviderSecretStore,
    private readonly upstream: UpstreamClient,
    private readonly health: KeyHealthService,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

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
      const { response, prepared } = await this.call(caller, key, request, trace.requestId);
      status = response.statusCode;
      const body = verdictNeedsBody(status) ? await readLimited(response.body) : undefined;
      verdict = answerVerdict(status, response.headers, Date.now(), body);
      if (verdict.kind === 'success' || verdict.kind === 'client_error') {
        record(trace, key, status, verdict, started);

        return { response, prepared, verdict };
      }
      if (body === undefined) await response.body.dump();
    } catch (error) {
      // A request the key's protocol cannot express is the caller's fault, not the key's.
      if (request.signal.aborted || error instanceof TranslationException) throw error;
      if (error instanceof GatewayException) return this.unusable(key, error, trace, started);
      verdict = failureVerdict(error);
    }
    const statusAfter = await this.health.report(key, verdict);
    record(trace, key, status, verdict, started);

    return {
      failure: { key, detail: detailOf(verdict), rateLimited: isRateLimit(verdict), statusAfter },
    };
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
    if (!request.prepare && key.providerType !== 'openai') {
      // TODO(#5): images, audio and /v1/responses through the adapters of other key types.
      throw new GatewayException(
        GatewayErrorCode.InvalidRequest,
        `Provider type "${key.providerType}" is not supported on this endpoint yet.`,
      );
    }
    if (key.privateLiteralHost && !this.config.XAI_ALLOW_PRIVATE_UPSTREAMS) {
      throw new GatewayException(
        GatewayErrorCode.UpstreamRefused,
        'The provider key points at a private address, and private upstreams are not allowed.',
      );
    }
    const secret = await this.secrets.secretFor(caller, key.id, requestId);
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

      return { response, prepared };
    }
    const response = await this.upstream.send({
      url: upstreamUrl(key.baseUrl, request.path),
      method: request.method,
      headers: {
        authorization: `Bearer ${secret}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: request.body,
      signal: request.signal,
    });

    return { response };
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

/** Reads an error body up to {@link ERROR_BODY_LIMIT}, discarding the rest. */
async function readLimited(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    // Leaving the loop destroys the rest of the body.
    if (size + buffer.length > ERROR_BODY_LIMIT) break;
    chunks.push(buffer);
    size += buffer.length;
  }

  return Buffer.concat(chunks).toString('utf8');
}

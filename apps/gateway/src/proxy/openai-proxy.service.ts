import { Inject, Injectable } from '@nestjs/common';
import { CallerProtocol } from '@xai/providers';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { AuditEmitter } from '../audit/audit-emitter';
import { RequestTrace } from '../audit/request-trace';
import { Caller } from '../auth/caller';
import { GATEWAY_CONFIG, GatewayConfig } from '../gateway.config';
import { RoutePlan, routeRuleOf } from '../routing/route-planner';
import { ChatAnswerRelay, relayChatAnswer } from './answer-relay';
import { CallAdmission } from './call-admission';
import { CallDeadline } from './call-deadline';
import { CallFailures } from './call-failure';
import { ChatCall, prepareCall } from './chat-call';
import { OpenAiRequest, parseOpenAiRequest } from './openai-request';
import { ResponseKeyStore } from './response-key.store';
import { earlyRouteHeaders } from './response-headers';
import { ResponsesStreamEnding } from './responses-stream-ending';
import { StreamKeepAlive } from './stream-keep-alive';
import { UpstreamAttempts, UpstreamRequest } from './upstream-attempts';

/** The POST endpoints proxied: OpenAI-shaped ones and Anthropic's Messages API. */
export type OpenAiEndpoint =
  | '/chat/completions'
  | '/embeddings'
  | '/completions'
  | '/responses'
  | '/messages'
  | '/messages/count_tokens';

/** The protocol a caller of an endpoint speaks. */
export function callerProtocolOf(endpoint: OpenAiEndpoint): CallerProtocol {
  return endpoint.startsWith('/messages') ? 'anthropic' : 'openai';
}

/**
 * The hot path of an OpenAI-shaped call (DESIGN.md section 4): authenticate, route, open the
 * key (from memory when warm), call the provider, relay its answer as it arrives, and emit one
 * audit event. Runs outside NestJS's request pipeline, straight on Fastify.
 */
@Injectable()
export class OpenAiProxyService {
  private readonly failures = new CallFailures();

  constructor(
    private readonly admission: CallAdmission,
    private readonly attempts: UpstreamAttempts,
    private readonly audit: AuditEmitter,
    private readonly responseKeys: ResponseKeyStore,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /** Serves one call; always answers, in the caller's protocol's shape on failure. */
  async handle(
    request: FastifyRequest,
    reply: FastifyReply,
    endpoint: OpenAiEndpoint,
  ): Promise<void> {
    const trace = new RequestTrace(request.id, `/v1${endpoint}`);
    const call = new CallDeadline(reply, this.config.XAI_UPSTREAM_TOTAL_TIMEOUT_MS);
    // Set as soon as a stream's keep-alive opens: a failure after that answers in the stream.
    const stream: OpenStream = {};
    try {
      const routed = await this.route(request, reply, endpoint, { trace, call, stream });
      await relayChatAnswer({
        ...routed,
        ...{ reply, trace, call, keepAlive: stream.keepAlive },
        caller: callerProtocolOf(endpoint),
        maxEventLength: this.config.XAI_BODY_LIMIT_BYTES,
      });
    } catch (error) {
      const protocol = callerProtocolOf(endpoint);
      this.failures.answer(error, { reply, trace, call, protocol, keepAlive: stream.keepAlive });
    } finally {
      stream.keepAlive?.stop();
      call.dispose();
      const event = trace.toEvent();
      if (event) this.audit.emit(event);
    }
  }

  /**
   * Gets the call its answer: parses, routes and tries keys until one answers. The request's
   * body (raw and parsed) and the route plan are needed only until then, so they are let go
   * before the answer is relayed: a stream can stay open for minutes, and should not hold its
   * prompt meanwhile.
   */
  private async route(
    request: FastifyRequest,
    reply: FastifyReply,
    endpoint: OpenAiEndpoint,
    { trace, call, stream }: { trace: RequestTrace; call: CallDeadline; stream: OpenStream },
  ): Promise<Pick<ChatAnswerRelay, 'answer' | 'upstreamModel' | 'asked'>> {
    const caller = await this.admission.authenticate(request, trace);
    const body = parseOpenAiRequest(request.body);
    // The parsed copy is what is sent on; the raw bytes are not needed again.
    request.body = undefined;
    trace.stream = body.stream;
    const plan = await this.plan(endpoint, trace, caller, body);
    if (body.stream) stream.keepAlive = this.keepAlive(reply, plan, trace, endpoint);
    const upstream = this.upstreamRequest(endpoint, request, { body, plan, caller }, call.signal);
    const answer = await this.attempts.firstAnswer(caller, plan, upstream, trace);
    const asked = { stream: body.stream, clientWantsUsage: body.clientWantsUsage };

    return { answer, upstreamModel: plan.upstreamModel, asked };
  }

  /**
   * The route of the call. A Responses call continuing a stored response
   * (`previous_response_id`) must reach the key that stored it, which alone can read it.
   */
  private async plan(
    endpoint: OpenAiEndpoint,
    trace: RequestTrace,
    caller: Caller,
    body: OpenAiRequest,
  ): Promise<RoutePlan> {
    const previous = endpoint === '/responses' ? body.json.previous_response_id : undefined;
    const keyId = typeof previous === 'string' ? await this.keyHolding(caller, previous) : null;
    const pinned = keyId ? await this.admission.planOnKey(trace, caller, keyId, body.model) : null;

    return pinned ?? this.admission.plan(trace, caller, body.model);
  }

  /** The key that stored a response; null when unknown, or unknowable (Redis is down). */
  private async keyHolding(caller: Caller, responseId: string): Promise<string | null> {
    try {
      return await this.responseKeys.keyOf(caller.tenantId, responseId);
    } catch {
      return null;
    }
  }

  /** Every call is prepared per key: passed through, or translated when protocols differ. */
  private upstreamRequest(
    endpoint: OpenAiEndpoint,
    request: FastifyRequest,
    routed: { body: OpenAiRequest; plan: RoutePlan; caller: Caller },
    signal: AbortSignal,
  ): UpstreamRequest {
    const { body, plan, caller } = routed;
    const upstream = { path: endpoint, method: 'POST', signal } as const;
    const chat: ChatCall = {
      caller: callerProtocolOf(endpoint),
      operation: operationOf(endpoint),
      request: body,
      clientHeaders: request.headers,
      onStoredResponse: (key, id) =>
        this.responseKeys.remember(caller.tenantId, id, key.id, request.id),
    };

    return {
      ...upstream,
      prepare: (key, secret) => prepareCall(chat, key, secret, plan.upstreamModel),
    };
  }

  private keepAlive(
    reply: FastifyReply,
    plan: RoutePlan,
    trace: RequestTrace,
    endpoint: OpenAiEndpoint,
  ): StreamKeepAlive {
    const early = earlyRouteHeaders({
      requestId: trace.requestId,
      upstreamModel: plan.upstreamModel,
      routeRule: routeRuleOf(plan, plan.level),
    });
    // A Responses stream ends a failure with `error` and `response.failed`, not chat's event.
    const errorEvents =
      endpoint === '/responses'
        ? (body: object) => new ResponsesStreamEnding().refusal(body, plan.requestedModel)
        : undefined;

    return new StreamKeepAlive(reply, early, this.config.XAI_STREAM_KEEPALIVE_MS, errorEvents);
  }
}

const OPERATIONS: Partial<Record<OpenAiEndpoint, ChatCall['operation']>> = {
  '/messages/count_tokens': 'count-tokens',
  '/responses': 'responses',
  '/completions': 'completions',
  '/embeddings': 'embeddings',
};

function operationOf(endpoint: OpenAiEndpoint): ChatCall['operation'] {
  return OPERATIONS[endpoint] ?? 'chat';
}

/** A stream's keep-alive, once opened (it may have committed the status line). */
interface OpenStream {
  keepAlive?: StreamKeepAlive;
}

import { Inject, Injectable } from '@nestjs/common';
import { AppLogger } from '@xai/common';
import { CallerProtocol, scrubSecrets } from '@xai/providers';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { AuditEmitter } from '../audit/audit-emitter';
import { RequestTrace } from '../audit/request-trace';
import { readUsage } from '../audit/usage-details';
import { VirtualKeyAuthenticator } from '../auth/virtual-key.authenticator';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayException } from '../errors/gateway.exception';
import { toCallerError } from '../errors/caller-error';
import { GATEWAY_CONFIG, GatewayConfig } from '../gateway.config';
import { RouteExhaustedException } from '../routing/route-exhaustion';
import { RoutePlan, RoutePlanner, routeRuleOf } from '../routing/route-planner';
import { TenantRoutingCache } from '../routing/tenant-routing.cache';
import { CallDeadline } from './call-deadline';
import { IdleLimits, watchIdle } from './idle-watchdog';
import { ChatCall, prepareCall } from './chat-call';
import { OpenAiRequest, parseOpenAiRequest, upstreamBody } from './openai-request';
import { earlyRouteHeaders, responseHeaders, routeComment } from './response-headers';
import { relaySse } from './sse-relay';
import { StreamKeepAlive } from './stream-keep-alive';
import { clientStatus, collect, relayTranslated, sseData } from './translated-relay';
import { UpstreamAnswer, UpstreamAttempts, UpstreamRequest } from './upstream-attempts';

/** The POST endpoints proxied: OpenAI-shaped ones and Anthropic's Messages API. */
export type OpenAiEndpoint =
  '/chat/completions' | '/embeddings' | '/completions' | '/messages' | '/messages/count_tokens';

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
  private readonly logger = new AppLogger(OpenAiProxyService.name);

  constructor(
    private readonly authenticator: VirtualKeyAuthenticator,
    private readonly routing: TenantRoutingCache,
    private readonly planner: RoutePlanner,
    private readonly attempts: UpstreamAttempts,
    private readonly audit: AuditEmitter,
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
    let keepAlive: StreamKeepAlive | undefined;
    try {
      trace.caller = await this.authenticator.authenticate(
        VirtualKeyAuthenticator.presentedKey(request.headers),
      );
      const body = parseOpenAiRequest(request.body);
      trace.requestedModel = body.model;
      trace.stream = body.stream;
      const routing = await this.routing.get(trace.caller.tenantId);
      const plan = await this.planner.plan(routing, body.model);
      trace.level = plan.level;
      trace.upstreamModel = plan.upstreamModel;
      if (body.stream) keepAlive = this.keepAlive(reply, plan, trace);
      this.audit.assertCanRecord();
      const upstream = this.upstreamRequest(endpoint, request, body, plan, call.signal);
      const answer = await this.attempts.firstAnswer(trace.caller, plan, upstream, trace);
      await this.relay(answer, plan, body, reply, trace, call, endpoint, keepAlive);
    } catch (error) {
      this.fail(error, reply, trace, call, callerProtocolOf(endpoint), keepAlive);
    } finally {
      keepAlive?.stop();
      call.dispose();
      const event = trace.toEvent();
      if (event) this.audit.emit(event);
    }
  }

  /** Chat and token counting are prepared per key (translated when protocols differ). */
  private upstreamRequest(
    endpoint: OpenAiEndpoint,
    request: FastifyRequest,
    body: OpenAiRequest,
    plan: RoutePlan,
    signal: AbortSignal,
  ): UpstreamRequest {
    const upstream = { path: endpoint, method: 'POST', signal } as const;
    if (endpoint === '/embeddings' || endpoint === '/completions') {
      return { ...upstream, body: upstreamBody(body, plan.upstreamModel) };
    }
    const chat: ChatCall = {
      caller: callerProtocolOf(endpoint),
      operation: endpoint === '/messages/count_tokens' ? 'count-tokens' : 'chat',
      request: body,
      clientHeaders: request.headers,
    };

    return {
      ...upstream,
      prepare: (key, secret) => prepareCall(chat, key, secret, plan.upstreamModel),
    };
  }

  private keepAlive(reply: FastifyReply, plan: RoutePlan, trace: RequestTrace): StreamKeepAlive {
    const early = earlyRouteHeaders({
      requestId: trace.requestId,
      upstreamModel: plan.upstreamModel,
      routeRule: routeRuleOf(plan, plan.level),
    });

    return new StreamKeepAlive(reply, early, this.config.XAI_STREAM_KEEPALIVE_MS);
  }

  private async relay(
    answer: UpstreamAnswer,
    plan: RoutePlan,
    body: OpenAiRequest,
    reply: FastifyReply,
    trace: RequestTrace,
    call: CallDeadline,
    endpoint: OpenAiEndpoint,
    keepAlive?: StreamKeepAlive,
  ): Promise<void> {
    const { response, prepared } = answer;
    const route = {
      requestId: trace.requestId,
      level: answer.level,
      key: answer.key,
      upstreamModel: plan.upstreamModel,
      attempts: answer.attempts,
      routeRule: answer.routeRule,
    };
    const headers = responseHeaders(route, response.headers);
    trace.status = response.statusCode;
    trace.providerType = answer.key.providerType;
    const contentType = String(response.headers['content-type'] ?? 'application/json');
    const chunks = watchIdle(response.body, this.idleLimits());
    if (prepared?.translation) {
      await relayTranslated({
        ...{ caller: callerProtocolOf(endpoint), prepared, translation: prepared.translation },
        ...{ status: response.statusCode, contentType, headers, chunks, reply, trace, keepAlive },
        reportBroken: (error) => answer.reportBroken(error),
      });

      return;
    }
    if (response.statusCode === 200 && contentType.includes('text/event-stream')) {
      const stream = keepAlive ?? new StreamKeepAlive(reply, {}, 0);
      if (!stream.open(headers)) reply.raw.write(routeComment(route));
      await this.relayStream(chunks, answer, body, reply, trace, call, stream);

      return;
    }
    const bytes = await collect(chunks);
    keepAlive?.stop();
    trace.markFirstByte();
    if (keepAlive?.committed) {
      this.endCommitted(reply, response.statusCode, bytes, trace);

      return;
    }
    if (response.statusCode >= 200 && response.statusCode < 300) {
      trace.usage = usageOf(bytes, prepared?.usageOf);
      await reply.code(response.statusCode).headers(headers).type(contentType).send(bytes);

      return;
    }
    trace.errorCode = `upstream_${response.statusCode}`;
    await reply
      .code(clientStatus(response.statusCode))
      .headers(headers)
      .type(contentType)
      .send(scrubSecrets(bytes.toString('utf8')));
  }

  private async relayStream(
    chunks: AsyncIterable<Buffer>,
    answer: UpstreamAnswer,
    body: OpenAiRequest,
    reply: FastifyReply,
    trace: RequestTrace,
    call: CallDeadline,
    keepAlive: StreamKeepAlive,
  ): Promise<void> {
    const outcome = await relaySse(chunks, reply.raw, {
      hideUsageChunk: !body.clientWantsUsage && !answer.prepared?.streamUsage,
      usage: answer.prepared?.streamUsage,
      requestId: trace.requestId,
      onWrite: () => {
        trace.markFirstByte();
        keepAlive.touch();
      },
    });
    trace.usage = outcome.usage;
    if (outcome.error) trace.errorCode = 'upstream_stream_error';
    // Broken after the first byte: no retry is possible; the key's health still hears of it.
    if (outcome.error && !call.signal.aborted) answer.reportBroken(outcome.cause);
  }

  /** A non-stream answer to a stream whose status line is already out: one data event. */
  private endCommitted(
    reply: FastifyReply,
    status: number,
    bytes: Buffer,
    trace: RequestTrace,
  ): void {
    const text = scrubSecrets(bytes.toString('utf8')).replace(/\r?\n/g, ' ');
    if (status >= 300) trace.errorCode = `upstream_${status}`;
    reply.raw.end(`data: ${text}\n\n`);
  }

  private idleLimits(): IdleLimits {
    return {
      firstMs: this.config.XAI_UPSTREAM_HEADERS_TIMEOUT_MS,
      idleMs: this.config.XAI_UPSTREAM_BODY_TIMEOUT_MS,
    };
  }

  private fail(
    error: unknown,
    reply: FastifyReply,
    trace: RequestTrace,
    call: CallDeadline,
    protocol: CallerProtocol,
    keepAlive?: StreamKeepAlive,
  ): void {
    keepAlive?.stop();
    if (call.clientGone) {
      trace.status = 499;
      trace.errorCode = 'client_closed';
      if (!reply.sent && !reply.raw.headersSent) reply.raw.destroy();

      return;
    }
    const failure = call.timedOut ? deadlinePassed(call) : error;
    const { status, body, code } = toCallerError(protocol, failure, trace.requestId);
    trace.status = status;
    trace.errorCode = code;
    if (status >= 500) this.logFailure(error, status, code);
    if (keepAlive?.committed && !reply.raw.writableEnded) {
      reply.raw.end(sseData(protocol, body, true));

      return;
    }
    if (reply.sent || reply.raw.headersSent) {
      reply.raw.end();

      return;
    }
    if (error instanceof RouteExhaustedException && error.retryAfterSeconds !== undefined) {
      void reply.header('retry-after', String(error.retryAfterSeconds));
    }
    void reply.code(status).header('x-request-id', trace.requestId).send(body);
  }

  /** Server-side failures are logged with their cause (the request id comes from context). */
  private logFailure(error: unknown, status: number, code: string): void {
    const cause = error instanceof Error ? error.cause : undefined;
    this.logger.warn('request failed', {
      status,
      code,
      error: error instanceof Error ? error.message : String(error),
      cause: cause instanceof Error ? cause.message : undefined,
    });
  }
}

function deadlinePassed(call: CallDeadline): GatewayException {
  return new GatewayException(
    GatewayErrorCode.UpstreamUnreachable,
    `The call took longer than the router's total deadline (${call.totalMs} ms).`,
    { status: 504 },
  );
}

function usageOf(bytes: Buffer, reader = readUsage): ReturnType<typeof readUsage> {
  try {
    return reader(JSON.parse(bytes.toString('utf8')));
  } catch {
    return null;
  }
}

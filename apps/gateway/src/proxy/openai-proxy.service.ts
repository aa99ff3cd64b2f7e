import { Injectable } from '@nestjs/common';
import { extractOpenAiUsage, scrubSecrets } from '@xai/providers';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { AuditEmitter } from '../audit/audit-emitter';
import { RequestTrace } from '../audit/request-trace';
import { VirtualKeyAuthenticator } from '../auth/virtual-key.authenticator';
import { toOpenAiError } from '../errors/openai-error';
import { RoutePlan, RoutePlanner } from '../routing/route-planner';
import { TenantRoutingCache } from '../routing/tenant-routing.cache';
import { OpenAiRequest, parseOpenAiRequest, upstreamBody } from './openai-request';
import { responseHeaders } from './response-headers';
import { relaySse } from './sse-relay';
import { UpstreamAnswer, UpstreamAttempts } from './upstream-attempts';

/** The OpenAI-shaped POST endpoints proxied to OpenAI-type providers. */
export type OpenAiEndpoint = '/chat/completions' | '/embeddings' | '/completions';

/**
 * The hot path of an OpenAI-shaped call (DESIGN.md section 4): authenticate, route, open the
 * key (from memory when warm), call the provider, relay its answer as it arrives, and emit one
 * audit event. Runs outside NestJS's request pipeline, straight on Fastify.
 */
@Injectable()
export class OpenAiProxyService {
  constructor(
    private readonly authenticator: VirtualKeyAuthenticator,
    private readonly routing: TenantRoutingCache,
    private readonly planner: RoutePlanner,
    private readonly attempts: UpstreamAttempts,
    private readonly audit: AuditEmitter,
  ) {}

  /** Serves one call; always answers, in OpenAI's shape on failure. */
  async handle(
    request: FastifyRequest,
    reply: FastifyReply,
    endpoint: OpenAiEndpoint,
  ): Promise<void> {
    const trace = new RequestTrace(request.id, `/v1${endpoint}`);
    const abort = abortOnClientClose(reply);
    try {
      trace.caller = await this.authenticator.authenticate(
        VirtualKeyAuthenticator.presentedKey(request.headers),
      );
      const body = parseOpenAiRequest(request.body);
      trace.requestedModel = body.model;
      trace.stream = body.stream;
      const plan = this.planner.plan(await this.routing.get(trace.caller.tenantId), body.model);
      trace.level = plan.level;
      trace.upstreamModel = plan.upstreamModel;
      const answer = await this.attempts.firstAnswer(
        trace.caller,
        plan.candidates,
        {
          path: endpoint,
          method: 'POST',
          body: upstreamBody(body, plan.upstreamModel),
          signal: abort.signal,
        },
        trace,
      );
      await this.relay(answer, plan, body, reply, trace);
    } catch (error) {
      this.fail(error, reply, trace, abort.signal);
    } finally {
      abort.dispose();
      const event = trace.toEvent();
      if (event) this.audit.emit(event);
    }
  }

  private async relay(
    answer: UpstreamAnswer,
    plan: RoutePlan,
    body: OpenAiRequest,
    reply: FastifyReply,
    trace: RequestTrace,
  ): Promise<void> {
    const { response } = answer;
    const headers = responseHeaders(
      {
        requestId: trace.requestId,
        level: plan.level,
        key: answer.key,
        upstreamModel: plan.upstreamModel,
        attempts: trace.attempts,
      },
      response.headers,
    );
    trace.status = response.statusCode;
    const contentType = String(response.headers['content-type'] ?? 'application/json');
    if (response.statusCode === 200 && contentType.includes('text/event-stream')) {
      reply.hijack();
      reply.raw.writeHead(200, {
        ...headers,
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        'x-accel-buffering': 'no',
      });
      const outcome = await relaySse(response.body, reply.raw, {
        hideUsageChunk: !body.clientWantsUsage,
        requestId: trace.requestId,
      });
      trace.usage = outcome.usage;
      if (outcome.error) trace.errorCode = 'upstream_stream_error';

      return;
    }
    const bytes = Buffer.from(await response.body.arrayBuffer());
    if (response.statusCode >= 200 && response.statusCode < 300) {
      trace.usage = usageOf(bytes);
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

  private fail(
    error: unknown,
    reply: FastifyReply,
    trace: RequestTrace,
    signal: AbortSignal,
  ): void {
    if (signal.aborted) {
      trace.status = 499;
      trace.errorCode = 'client_closed';
      if (!reply.sent && !reply.raw.headersSent) reply.raw.destroy();

      return;
    }
    const { status, body } = toOpenAiError(error, trace.requestId);
    trace.status = status;
    trace.errorCode = body.error.code;
    if (reply.sent || reply.raw.headersSent) {
      reply.raw.end();

      return;
    }
    void reply.code(status).header('x-request-id', trace.requestId).send(body);
  }
}

/** An upstream 401/403 is about the provider key, not the caller's credential: report 502. */
function clientStatus(upstreamStatus: number): number {
  return upstreamStatus === 401 || upstreamStatus === 403 ? 502 : upstreamStatus;
}

function usageOf(bytes: Buffer): ReturnType<typeof extractOpenAiUsage> {
  try {
    return extractOpenAiUsage(JSON.parse(bytes.toString('utf8')));
  } catch {
    return null;
  }
}

/** Aborts the upstream call as soon as the client goes away, at any moment. */
function abortOnClientClose(reply: FastifyReply): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onClose = (): void => {
    if (!reply.raw.writableFinished) controller.abort();
  };
  reply.raw.on('close', onClose);

  return {
    signal: controller.signal,
    dispose: () => reply.raw.off('close', onClose),
  };
}

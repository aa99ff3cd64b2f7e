import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { AuditEmitter } from '../audit/audit-emitter';
import { RequestTrace } from '../audit/request-trace';
import { GATEWAY_CONFIG, GatewayConfig } from '../gateway.config';
import { CallAdmission } from './call-admission';
import { CallDeadline } from './call-deadline';
import { CallFailures } from './call-failure';
import { relayMediaAnswer } from './media-relay';
import { MediaEndpoint, parseMediaRequest } from './media-request';
import { UpstreamAttempts } from './upstream-attempts';

/**
 * OpenAI's image and audio endpoints (`/v1/images/*`, `/v1/audio/*`): routed by the `model`
 * field (of the JSON body, or of the multipart form), passed through to OpenAI-type keys with
 * the body's bytes untouched but for the model's value, and the answer relayed as it comes.
 */
@Injectable()
export class MediaProxyService {
  private readonly failures = new CallFailures();

  constructor(
    private readonly admission: CallAdmission,
    private readonly attempts: UpstreamAttempts,
    private readonly audit: AuditEmitter,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /** Serves one call; always answers, in OpenAI's shape on failure. */
  async handle(
    request: FastifyRequest,
    reply: FastifyReply,
    endpoint: MediaEndpoint,
  ): Promise<void> {
    const trace = new RequestTrace(request.id, `/v1${endpoint}`);
    const call = new CallDeadline(reply, this.config.XAI_UPSTREAM_TOTAL_TIMEOUT_MS);
    try {
      const caller = await this.admission.authenticate(request, trace);
      const media = parseMediaRequest(endpoint, request.body);
      const plan = await this.admission.plan(trace, caller, media.model);
      const { body, contentType } = media.upstreamBody(plan.upstreamModel);
      const upstream = {
        ...({ path: endpoint, method: 'POST', body, contentType, signal: call.signal } as const),
        model: plan.upstreamModel,
        clientHeaders: request.headers,
      };
      const answer = await this.attempts.firstAnswer(caller, plan, upstream, trace);
      await relayMediaAnswer({
        ...{ answer, reply, trace, call, upstreamModel: plan.upstreamModel },
      });
    } catch (error) {
      this.failures.answer(error, { reply, trace, call, protocol: 'openai' });
    } finally {
      call.dispose();
      const event = trace.toEvent();
      if (event) this.audit.emit(event);
    }
  }
}

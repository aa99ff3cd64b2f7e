import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { AuditEmitter } from '../audit/audit-emitter';
import { RequestTrace } from '../audit/request-trace';
import { Caller } from '../auth/caller';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayException } from '../errors/gateway.exception';
import { GATEWAY_CONFIG, GatewayConfig } from '../gateway.config';
import { CallAdmission } from './call-admission';
import { CallDeadline } from './call-deadline';
import { CallFailures } from './call-failure';
import { relayMediaAnswer } from './media-relay';
import { ResponseKeyStore } from './response-key.store';
import { UpstreamAttempts, UpstreamRequest } from './upstream-attempts';

/** What can be done with a stored response, and how each reaches the provider. */
export const STORED_RESPONSE_ACTIONS = {
  read: { method: 'GET', suffix: '' },
  delete: { method: 'DELETE', suffix: '' },
  'input-items': { method: 'GET', suffix: '/input_items' },
  cancel: { method: 'POST', suffix: '/cancel' },
} as const;

export type StoredResponseAction = keyof typeof STORED_RESPONSE_ACTIONS;

/**
 * OpenAI's routes on stored responses (`GET` and `DELETE /v1/responses/{id}`,
 * `GET …/input_items`, `POST …/cancel`): the provider keeps a response with the account that
 * made it, so each call goes to the provider key that created the response (remembered when
 * its answer passed through, see {@link ResponseKeyStore}), passed through with the client's
 * query, and the answer relayed as it comes (a `GET` with `stream=true` replays events). An id
 * this tenant's keys never stored is OpenAI's 404, saying that responses made through
 * translation (Anthropic and Gemini keys) are never stored.
 */
@Injectable()
export class StoredResponsesService {
  private readonly failures = new CallFailures();

  constructor(
    private readonly admission: CallAdmission,
    private readonly attempts: UpstreamAttempts,
    private readonly audit: AuditEmitter,
    private readonly responseKeys: ResponseKeyStore,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /** Serves one call; always answers, in OpenAI's shape on failure. */
  async handle(
    request: FastifyRequest,
    reply: FastifyReply,
    action: StoredResponseAction,
  ): Promise<void> {
    const { method, suffix } = STORED_RESPONSE_ACTIONS[action];
    const trace = new RequestTrace(request.id, `/v1/responses/{id}${suffix}`);
    const call = new CallDeadline(reply, this.config.XAI_UPSTREAM_TOTAL_TIMEOUT_MS);
    try {
      const caller = await this.admission.authenticate(request, trace);
      const id = (request.params as { id: string }).id;
      const plan = await this.planFor(trace, caller, id);
      const upstream: UpstreamRequest = {
        path: `/responses/${encodeURIComponent(id)}${suffix}`,
        method,
        query: request.url.split('?')[1],
        body: bodyOf(request),
        clientHeaders: request.headers,
        signal: call.signal,
      };
      const answer = await this.attempts.firstAnswer(caller, plan, upstream, trace);
      if (action === 'delete' && answer.response.statusCode === 200) {
        await this.responseKeys.forget(caller.tenantId, id).catch(() => undefined);
      }
      await relayMediaAnswer({
        ...{ answer, reply, trace, call, upstreamModel: plan.upstreamModel },
      });
      // A stored response carries the usage of the call that made it, already metered then:
      // reading, listing or deleting it uses no tokens.
      trace.usage = null;
    } catch (error) {
      this.failures.answer(error, { reply, trace, call, protocol: 'openai' });
    } finally {
      call.dispose();
      const event = trace.toEvent();
      if (event) this.audit.emit(event);
    }
  }

  /** The route to the key that stored `id`: that key alone. */
  private async planFor(trace: RequestTrace, caller: Caller, id: string) {
    let keyId: string | null;
    try {
      keyId = await this.responseKeys.keyOf(caller.tenantId, id);
    } catch (error) {
      throw new GatewayException(
        GatewayErrorCode.DependencyUnavailable,
        'The router cannot look up stored responses right now; try again shortly.',
        { cause: error },
      );
    }
    const plan = keyId ? await this.admission.planOnKey(trace, caller, keyId, null) : null;
    if (!plan) throw notStored(id);

    return plan;
  }
}

/** The client's body, if it sent one (a cancel usually sends none). */
function bodyOf(request: FastifyRequest): string | Buffer[] | undefined {
  const body = request.body;

  return Buffer.isBuffer(body) && body.length > 0 ? [body] : undefined;
}

function notStored(id: string): GatewayException {
  return new GatewayException(
    GatewayErrorCode.NotFound,
    `Response with id '${id}' not found. The router reaches stored responses only on ` +
      'OpenAI-type provider keys (openai, azure) that still exist: responses made through ' +
      'translation for Anthropic and Gemini keys are never stored.',
    { param: 'response_id' },
  );
}

import { AppLogger } from '@xai/common';
import { CallerProtocol } from '@xai/providers';
import type { FastifyReply } from 'fastify';

import { RequestTrace } from '../audit/request-trace';
import { toCallerError } from '../errors/caller-error';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayException } from '../errors/gateway.exception';
import { RouteExhaustedException } from '../routing/route-exhaustion';
import { CallDeadline } from './call-deadline';
import { failureRouteHeaders } from './response-headers';
import { StreamKeepAlive } from './stream-keep-alive';
import { committedData } from './translated-relay';

/** The state of a call that failed, as the proxy services hold it. */
export interface FailedCall {
  reply: FastifyReply;
  trace: RequestTrace;
  call: CallDeadline;
  protocol: CallerProtocol;
  /** Open for streamed calls (it may already have committed the status line). */
  keepAlive?: StreamKeepAlive;
}

/**
 * Ends a call that failed, in the caller's protocol: nothing for a client that went away (the
 * audit event says 499 `client_closed`), a 504 when the total deadline passed, an error event
 * when a stream's status line is already out, otherwise an error body with the request id and
 * the headers that explain the route as far as it went.
 */
export class CallFailures {
  private readonly logger = new AppLogger(CallFailures.name);

  /** Answers the failure of `failed` and records it on its trace. */
  answer(error: unknown, failed: FailedCall): void {
    const { reply, trace, call, protocol, keepAlive } = failed;
    keepAlive?.stop();
    if (call.clientGone) {
      trace.status = 499;
      trace.errorCode = 'client_closed';
      if (!reply.sent && !reply.raw.headersSent) reply.raw.destroy();

      return;
    }
    const failure = call.timedOut ? deadlinePassed(call) : error;
    learnRoute(trace, error);
    const { status, body, code } = toCallerError(protocol, failure, trace.requestId);
    trace.status = status;
    trace.errorCode = code;
    if (status >= 500) this.logFailure(error, status, code, trace.requestId);
    if (keepAlive?.committed && !reply.raw.writableEnded) {
      reply.raw.end(committedData(keepAlive, protocol, body, true));

      return;
    }
    if (reply.sent || reply.raw.headersSent) {
      reply.raw.end();

      return;
    }
    if (error instanceof RouteExhaustedException && error.retryAfterSeconds !== undefined) {
      void reply.header('retry-after', String(error.retryAfterSeconds));
    }
    void reply.code(status).headers(failureRouteHeaders(trace)).send(body);
  }

  /** Server-side failures are logged with their cause and request id. */
  private logFailure(error: unknown, status: number, code: string, requestId: string): void {
    const cause = error instanceof Error ? error.cause : undefined;
    this.logger.warn('request failed', {
      requestId,
      status,
      code,
      error: error instanceof Error ? error.message : String(error),
      cause: cause instanceof Error ? cause.message : undefined,
    });
  }
}

/** Planning may fail before the trace learns the route: an exhausted route's error carries it. */
function learnRoute(trace: RequestTrace, error: unknown): void {
  if (!(error instanceof RouteExhaustedException)) return;
  trace.level ??= error.level;
  trace.upstreamModel ??= error.upstreamModel;
}

function deadlinePassed(call: CallDeadline): GatewayException {
  return new GatewayException(
    GatewayErrorCode.UpstreamUnreachable,
    `The call took longer than the router's total deadline (${call.totalMs} ms).`,
    { status: 504 },
  );
}

import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import { AppLogger } from '@xai/common';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { fromFastifyError } from '../proxy/openai.routes';
import { GatewayErrorCode } from './gateway-error-code';
import { GatewayException } from './gateway.exception';
import { toCallerError } from './caller-error';
import { toOpenAiError } from './openai-error';
import { protocolOfUnroutedRequest, unknownRouteError } from './unknown-route';

/**
 * The management API's one error edge: every exception becomes an OpenAI-shaped error with the
 * request id. Unexpected ones are logged (without request bodies) and reported generically.
 */
@Catch()
export class OpenAiExceptionFilter implements ExceptionFilter {
  private readonly logger = new AppLogger(OpenAiExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    if (exception instanceof HttpException && exception.getStatus() === 404) {
      this.refuseUnknownRoute(request, reply);

      return;
    }
    const error = this.translate(exception);
    if (!(error instanceof GatewayException) || error.code === GatewayErrorCode.Internal) {
      this.logger.error('request failed', {
        requestId: request.id,
        error: exception instanceof Error ? exception.message : String(exception),
        path: request.routeOptions?.url,
      });
    }
    const { status, body } = toOpenAiError(error, request.id);

    void reply.code(status).header('x-request-id', request.id).send(body);
  }

  /** No route serves the request: refused in the protocol its path or headers speak. */
  private refuseUnknownRoute(request: FastifyRequest, reply: FastifyReply): void {
    const error = unknownRouteError(request);
    const protocol = protocolOfUnroutedRequest(request);
    const { status, body } = toCallerError(protocol, error, request.id);
    if (status === 405) void reply.header('allow', 'POST');

    void reply.code(status).header('x-request-id', request.id).send(body);
  }

  private translate(exception: unknown): unknown {
    if (!(exception instanceof HttpException)) return fromFastifyError(exception);
    const status = exception.getStatus();
    if (status >= 400 && status < 500) {
      return new GatewayException(GatewayErrorCode.InvalidRequest, exception.message, { status });
    }

    return exception;
  }
}

import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { runWithRequestContext } from '@xai/common';
import type { FastifyRequest } from 'fastify';
import { Observable } from 'rxjs';

/**
 * Runs each NestJS route (the management API) with its request id in the async context, as the
 * `/v1` routes already are, so what a handler records (management-change events, logs) carries
 * the same id as the `x-request-id` the caller receives.
 */
@Injectable()
export class RequestContextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest | undefined>();
    if (!request?.id) return next.handle();

    // Subscribing inside the context is what makes the handler (run on subscription) see it.
    return new Observable((subscriber) =>
      runWithRequestContext({ requestId: request.id }, () => next.handle().subscribe(subscriber)),
    );
  }
}

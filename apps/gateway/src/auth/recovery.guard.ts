import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

import { Caller } from './caller';
import { VirtualKeyAuthenticator } from './virtual-key.authenticator';

type RequestWithCaller = FastifyRequest & { caller?: Caller };

/**
 * Lets through only a tenant's recovery code (`Authorization: Bearer xrc-…`); the caller is
 * then available as `@CurrentCaller()`. Virtual keys are refused here, as recovery codes are
 * everywhere else.
 */
@Injectable()
export class RecoveryGuard implements CanActivate {
  constructor(private readonly authenticator: VirtualKeyAuthenticator) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RequestWithCaller>();
    const caller = await this.authenticator.authenticateRecovery(
      VirtualKeyAuthenticator.presentedKey(request.headers),
    );
    request.caller = { ...caller, requestId: request.id };

    return true;
  }
}

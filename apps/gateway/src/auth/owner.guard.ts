import { CanActivate, ExecutionContext, Injectable, createParamDecorator } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayException } from '../errors/gateway.exception';
import { Caller, isOwner } from './caller';
import { VirtualKeyAuthenticator } from './virtual-key.authenticator';

type RequestWithCaller = FastifyRequest & { caller?: Caller };

/** Lets only the tenant's owner through; the caller is then available as `@CurrentCaller()`. */
@Injectable()
export class OwnerGuard implements CanActivate {
  constructor(private readonly authenticator: VirtualKeyAuthenticator) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RequestWithCaller>();
    const caller = await this.authenticator.authenticate(
      VirtualKeyAuthenticator.presentedKey(request.headers),
    );
    if (!isOwner(caller)) {
      throw new GatewayException(
        GatewayErrorCode.OwnerOnly,
        "Only the tenant's owner key may manage the router.",
      );
    }
    request.caller = { ...caller, requestId: request.id };

    return true;
  }
}

/** The caller that {@link OwnerGuard} authenticated. */
export const CurrentCaller = createParamDecorator((_: unknown, context: ExecutionContext) => {
  const caller = context.switchToHttp().getRequest<RequestWithCaller>().caller;
  if (!caller) throw new GatewayException(GatewayErrorCode.Internal, 'No authenticated caller.');

  return caller;
});

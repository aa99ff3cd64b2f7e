import { Metadata } from '@grpc/grpc-js';
import { ExecutionContext } from '@nestjs/common';

import { ConfigValidationException } from './load-config';
import { ServiceIdentityOptions, ServiceTokenGuard } from './service-token.guard';

const TOKEN = 't'.repeat(48);

class RefusedException extends Error {}

function options(change: Partial<ServiceIdentityOptions> = {}): ServiceIdentityOptions {
  return {
    service: 'config',
    token: TOKEN,
    allowAnyCaller: false,
    refuse: (message) => new RefusedException(message),
    ...change,
  };
}

/** A gRPC call context carrying `token` (if any) in its metadata. */
function rpcCall(token?: string): ExecutionContext {
  const metadata = new Metadata();
  if (token !== undefined) metadata.set('x-xai-service-token', token);

  return {
    getType: () => 'rpc',
    switchToRpc: () => ({ getContext: () => metadata }),
    getHandler: () => function listProviderKeys() {},
  } as unknown as ExecutionContext;
}

describe(ServiceTokenGuard.name, () => {
  it('lets in a call that carries the token', () => {
    expect(new ServiceTokenGuard(options()).canActivate(rpcCall(TOKEN))).toBe(true);
  });

  it.each([
    ['no token', undefined],
    ['a wrong token', 'x'.repeat(48)],
    ['a prefix of the token', TOKEN.slice(0, 10)],
  ])('refuses a call with %s with the service’s own exception', (_case, presented) => {
    const guard = new ServiceTokenGuard(options());

    expect(() => guard.canActivate(rpcCall(presented))).toThrow(
      new RefusedException('only the gateway may call config'),
    );
  });

  it('leaves HTTP requests (health endpoints) alone', () => {
    const http = { getType: () => 'http' } as unknown as ExecutionContext;

    expect(new ServiceTokenGuard(options()).canActivate(http)).toBe(true);
  });

  it('refuses to start without a token unless development allows any caller', () => {
    expect(() => new ServiceTokenGuard(options({ token: undefined }))).toThrow(
      ConfigValidationException,
    );
    expect(
      new ServiceTokenGuard(options({ token: undefined, allowAnyCaller: true })).canActivate(
        rpcCall(),
      ),
    ).toBe(true);
  });
});

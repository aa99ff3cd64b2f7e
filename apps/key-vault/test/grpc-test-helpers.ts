import { randomBytes, randomUUID } from 'node:crypto';

import { Credential, GrpcCallException } from '@xai/contracts';

/** A credential with a random slot id and wrapping secret. */
export function newCredential(): Credential {
  return { slotId: randomUUID(), wrappingSecret: randomBytes(32) };
}

/** The gRPC error `call` fails with; throws if it succeeds. */
export async function rpcError(call: Promise<unknown>): Promise<GrpcCallException> {
  const error = await call.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (error instanceof GrpcCallException) return error;
  throw new Error(`expected the call to fail with a gRPC status, got ${String(error)}`);
}

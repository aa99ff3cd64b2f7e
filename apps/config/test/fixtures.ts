import { randomBytes, randomUUID } from 'node:crypto';

import { CreateProviderKeyRequest, GrpcCallException } from '@xai/contracts';

/** A hex HMAC-SHA256-shaped hash no other test uses. */
export const randomHash = (): string => randomBytes(32).toString('hex');

/** A valid CreateProviderKey request for `tenantId`, with fields overridden. */
export function keyRequest(
  tenantId: string,
  fields: Partial<CreateProviderKeyRequest> = {},
): CreateProviderKeyRequest {
  return {
    tenantId,
    id: randomUUID(),
    name: 'primary',
    level: 1,
    provider: 'https://api.openai.com/v1',
    status: true,
    providerType: 'openai',
    configJson: '{}',
    secretHint: 'abcd',
    ...fields,
  };
}

/** The error a call that must fail rejected with. */
export async function grpcFailure(call: Promise<unknown>): Promise<GrpcCallException> {
  try {
    await call;
  } catch (error) {
    if (error instanceof GrpcCallException) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

import { ProviderKey } from '@xai/contracts';
import { assertUpstreamAllowed, sameDestination } from '@xai/providers';

import { SecretTarget, destinationOf } from '../custody/provider-secret.store';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayException } from '../errors/gateway.exception';
import { toRoutableKey } from '../routing/tenant-routing';

/**
 * The `Provider` URL of a key, without trailing slashes, once it is allowed as an upstream
 * (`upstream_refused` otherwise; private addresses only with `allowPrivate`).
 */
export async function checkProvider(url: string, allowPrivate: boolean): Promise<string> {
  try {
    await assertUpstreamAllowed(url, { allowPrivate });
  } catch (error) {
    throw new GatewayException(
      GatewayErrorCode.UpstreamRefused,
      error instanceof Error ? error.message : 'The provider URL is not allowed.',
      { param: 'Provider', cause: error },
    );
  }

  return url.replace(/\/+$/, '');
}

/** The key as it will be after an update of the given destination fields. */
export function secretTarget(
  recorded: ProviderKey,
  change: { provider?: string; providerType?: string; configJson?: string },
): SecretTarget {
  return toRoutableKey({
    ...recorded,
    provider: change.provider ?? recorded.provider,
    providerType: change.providerType ?? recorded.providerType,
    configJson: change.configJson ?? recorded.configJson,
  });
}

/** Refuses a destination change without a new secret: the ciphertext is sealed for the old one. */
export function assertSameDestination(recorded: ProviderKey, target: SecretTarget): void {
  if (sameDestination(destinationOf(toRoutableKey(recorded)), destinationOf(target))) return;

  throw new GatewayException(
    GatewayErrorCode.InvalidRequest,
    'Changing Provider, provider_type or the deployment settings needs SecretKey in the same ' +
      'request: a provider key is sealed for the place it is sent to.',
    { param: 'SecretKey' },
  );
}

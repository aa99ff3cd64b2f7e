import { status } from '@grpc/grpc-js';
import { RpcException } from '@nestjs/microservices';

import { KeyVaultErrorCode } from './key-vault-error-code';
import { KeyVaultException } from './key-vault.exception';

/** The gRPC status of each error code. */
export function grpcStatusOf(code: KeyVaultErrorCode): status {
  switch (code) {
    case KeyVaultErrorCode.InvalidArgument:
      return status.INVALID_ARGUMENT;
    case KeyVaultErrorCode.Sealed:
    case KeyVaultErrorCode.ConfigUnavailable:
      return status.UNAVAILABLE;
    case KeyVaultErrorCode.CredentialRejected:
    case KeyVaultErrorCode.CallerNotAllowed:
      return status.PERMISSION_DENIED;
    case KeyVaultErrorCode.SlotExists:
      return status.ALREADY_EXISTS;
    case KeyVaultErrorCode.RotationJobNotFound:
      return status.NOT_FOUND;
    case KeyVaultErrorCode.ProviderKeyNotFound:
      return status.NOT_FOUND;
    case KeyVaultErrorCode.CiphertextCorrupted:
    case KeyVaultErrorCode.SlotCorrupted:
      return status.DATA_LOSS;
    case KeyVaultErrorCode.KekVersionUnavailable:
    case KeyVaultErrorCode.CiphertextUnbound:
      return status.FAILED_PRECONDITION;
    case KeyVaultErrorCode.RevisionMismatch:
      return status.ABORTED;
    case KeyVaultErrorCode.Internal:
      return status.INTERNAL;
  }
}

/**
 * Turns anything a handler threw into the gRPC error the caller sees. Only a
 * {@link KeyVaultException}'s message is passed on; anything else becomes a bare INTERNAL.
 */
export function toRpcException(error: unknown): RpcException {
  if (error instanceof KeyVaultException) {
    return new RpcException({ code: grpcStatusOf(error.code), message: error.message });
  }

  return new RpcException({ code: status.INTERNAL, message: 'internal error' });
}

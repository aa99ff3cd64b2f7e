import { status } from '@grpc/grpc-js';

import { ConfigErrorCode } from './config-error-code';
import { ConfigException } from './config.exception';

/** What a failed call answers over gRPC. */
export interface GrpcError {
  code: status;
  message: string;
}

/** The gRPC status of each error code; the switch is exhaustive so a new code cannot be missed. */
export function grpcStatusOf(code: ConfigErrorCode): status {
  switch (code) {
    case ConfigErrorCode.InvalidArgument:
      return status.INVALID_ARGUMENT;
    case ConfigErrorCode.CallerNotAllowed:
      return status.PERMISSION_DENIED;
    case ConfigErrorCode.TenantNotFound:
    case ConfigErrorCode.VirtualKeyNotFound:
    case ConfigErrorCode.ProviderKeyNotFound:
    case ConfigErrorCode.MemberNotFound:
      return status.NOT_FOUND;
    case ConfigErrorCode.VirtualKeyAlreadyRevoked:
      return status.ABORTED;
    case ConfigErrorCode.ProviderKeyExists:
    case ConfigErrorCode.MemberExists:
      return status.ALREADY_EXISTS;
  }
}

/**
 * Turns anything a handler threw into the gRPC error to answer. Domain exceptions keep their
 * message; anything else becomes INTERNAL with a fixed message, so no driver error text (which
 * may quote data) reaches the caller.
 */
export function toGrpcError(error: unknown): GrpcError {
  if (error instanceof ConfigException) {
    return { code: grpcStatusOf(error.code), message: error.message };
  }

  return { code: status.INTERNAL, message: 'internal error in the config service' };
}

import { status } from '@grpc/grpc-js';

import { AuditLogErrorCode } from './audit-log-error-code';
import { AuditLogException } from './audit-log.exception';

/** What a failed call answers over gRPC. */
export interface GrpcError {
  code: status;
  message: string;
}

/** The gRPC status of each error code; the switch is exhaustive so a new code cannot be missed. */
export function grpcStatusOf(code: AuditLogErrorCode): status {
  switch (code) {
    case AuditLogErrorCode.InvalidArgument:
    case AuditLogErrorCode.InvalidCursor:
      return status.INVALID_ARGUMENT;
    case AuditLogErrorCode.ConsumerNotRunning:
      return status.UNAVAILABLE;
    case AuditLogErrorCode.CallerNotAllowed:
      return status.PERMISSION_DENIED;
  }
}

/**
 * Turns anything a handler threw into the gRPC error to answer. Domain exceptions keep their
 * message; anything else becomes INTERNAL with a fixed message, so no driver error text (which
 * may quote data) reaches the caller.
 */
export function toGrpcError(error: unknown): GrpcError {
  if (error instanceof AuditLogException) {
    return { code: grpcStatusOf(error.code), message: error.message };
  }

  return { code: status.INTERNAL, message: 'internal error in the audit-log service' };
}

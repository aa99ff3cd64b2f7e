import { status } from '@grpc/grpc-js';

import { AuditLogErrorCode } from './audit-log-error-code';
import { AuditLogException } from './audit-log.exception';
import { grpcStatusOf, toGrpcError } from './grpc-status.mapper';

describe('grpcStatusOf', () => {
  it.each([
    [AuditLogErrorCode.InvalidArgument, status.INVALID_ARGUMENT],
    [AuditLogErrorCode.InvalidCursor, status.INVALID_ARGUMENT],
    [AuditLogErrorCode.ConsumerNotRunning, status.UNAVAILABLE],
  ])('maps %s to gRPC status %i', (code, expected) => {
    const mapped = grpcStatusOf(code);

    expect(mapped).toBe(expected);
  });
});

describe('toGrpcError', () => {
  it('keeps the message of an AuditLogException', () => {
    const error = AuditLogException.invalid('tenant_id', 'is required');

    const answer = toGrpcError(error);

    expect(answer).toEqual({ code: status.INVALID_ARGUMENT, message: 'tenant_id: is required' });
  });

  it('hides the text of any other error behind INTERNAL', () => {
    const error = new Error('relation "audit_log"."request_events" does not exist');

    const answer = toGrpcError(error);

    expect(answer).toEqual({
      code: status.INTERNAL,
      message: 'internal error in the audit-log service',
    });
  });
});

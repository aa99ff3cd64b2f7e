import { status } from '@grpc/grpc-js';

import { ConfigErrorCode } from './config-error-code';
import { ConfigException } from './config.exception';
import { grpcStatusOf, toGrpcError } from './grpc-status.mapper';

describe('grpcStatusOf', () => {
  it.each([
    [ConfigErrorCode.InvalidArgument, status.INVALID_ARGUMENT],
    [ConfigErrorCode.TenantNotFound, status.NOT_FOUND],
    [ConfigErrorCode.VirtualKeyNotFound, status.NOT_FOUND],
    [ConfigErrorCode.VirtualKeyAlreadyRevoked, status.ABORTED],
    [ConfigErrorCode.ProviderKeyNotFound, status.NOT_FOUND],
    [ConfigErrorCode.ProviderKeyExists, status.ALREADY_EXISTS],
    [ConfigErrorCode.MemberNotFound, status.NOT_FOUND],
    [ConfigErrorCode.MemberExists, status.ALREADY_EXISTS],
  ])('maps %s to gRPC status %i', (code, expected) => {
    const mapped = grpcStatusOf(code);

    expect(mapped).toBe(expected);
  });
});

describe('toGrpcError', () => {
  it('keeps the message of a ConfigException', () => {
    const error = ConfigException.invalid('level', 'must be a whole number from 1 to 1000');

    const answer = toGrpcError(error);

    expect(answer).toEqual({
      code: status.INVALID_ARGUMENT,
      message: 'level: must be a whole number from 1 to 1000',
    });
  });

  it('hides the text of any other error behind INTERNAL', () => {
    const error = new Error('duplicate key value violates unique constraint, key=(secret)');

    const answer = toGrpcError(error);

    expect(answer).toEqual({
      code: status.INTERNAL,
      message: 'internal error in the config service',
    });
  });
});

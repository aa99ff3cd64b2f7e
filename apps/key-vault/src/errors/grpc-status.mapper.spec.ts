import { status } from '@grpc/grpc-js';

import { grpcStatusOf, toRpcException } from './grpc-status.mapper';
import { KeyVaultErrorCode } from './key-vault-error-code';
import { KeyVaultException } from './key-vault.exception';

describe(toRpcException.name, () => {
  it('maps every error code to a gRPC status', () => {
    const statuses = Object.values(KeyVaultErrorCode).map((code) => grpcStatusOf(code));

    expect(statuses.every((value) => typeof value === 'number')).toBe(true);
  });

  it.each([
    [KeyVaultErrorCode.Sealed, status.UNAVAILABLE],
    [KeyVaultErrorCode.CredentialRejected, status.PERMISSION_DENIED],
    [KeyVaultErrorCode.ProviderKeyNotFound, status.NOT_FOUND],
    [KeyVaultErrorCode.CiphertextCorrupted, status.DATA_LOSS],
    [KeyVaultErrorCode.SlotCorrupted, status.DATA_LOSS],
    [KeyVaultErrorCode.InvalidArgument, status.INVALID_ARGUMENT],
    [KeyVaultErrorCode.RevisionMismatch, status.ABORTED],
  ])('passes a %s exception on with its message', (code, expected) => {
    const error = toRpcException(new KeyVaultException(code, 'what went wrong')).getError();

    expect(error).toEqual({ code: expected, message: 'what went wrong' });
  });

  it('hides anything else behind a bare INTERNAL', () => {
    const error = toRpcException(new Error('sk-secret in a driver message')).getError();

    expect(error).toEqual({ code: status.INTERNAL, message: 'internal error' });
  });
});

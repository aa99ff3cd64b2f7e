import { ArgumentsHost, Catch, RpcExceptionFilter } from '@nestjs/common';
import { AppLogger } from '@xai/common';
import { Observable, throwError } from 'rxjs';

import { toRpcException } from './grpc-status.mapper';
import { KeyVaultException } from './key-vault.exception';

/**
 * The gRPC edge of key-vault: every error leaves through {@link toRpcException}. Unexpected
 * errors are logged by name and message only (never their cause chain or query parameters,
 * which could carry sealed data), and the caller gets a bare INTERNAL.
 */
@Catch()
export class KeyVaultRpcExceptionFilter implements RpcExceptionFilter<unknown> {
  private readonly logger = new AppLogger(KeyVaultRpcExceptionFilter.name);

  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    if (!(exception instanceof KeyVaultException)) {
      this.logger.error('unexpected error', {
        error: exception instanceof Error ? exception.name : typeof exception,
        reason: exception instanceof Error ? exception.message : undefined,
      });
    }
    const error: unknown = toRpcException(exception).getError();

    return throwError(() => error);
  }
}

import { ArgumentsHost, Catch, RpcExceptionFilter } from '@nestjs/common';
import { AppLogger } from '@xai/common';
import { Observable, throwError } from 'rxjs';

import { AuditLogException } from './audit-log.exception';
import { GrpcError, toGrpcError } from './grpc-status.mapper';

/** The one edge where audit-log errors become gRPC statuses. */
@Catch()
export class AuditLogGrpcExceptionFilter implements RpcExceptionFilter<unknown> {
  private readonly logger = new AppLogger(AuditLogGrpcExceptionFilter.name);

  catch(exception: unknown, _host: ArgumentsHost): Observable<GrpcError> {
    const error = toGrpcError(exception);
    if (!(exception instanceof AuditLogException)) {
      this.logger.error('unexpected error in a gRPC handler', {
        error: exception instanceof Error ? exception.stack : String(exception),
      });
    }

    // Nest's gRPC server hands the thrown object to grpc-js, which reads `code` and `message`.
    return throwError(() => error);
  }
}

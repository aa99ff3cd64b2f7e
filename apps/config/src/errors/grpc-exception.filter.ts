import { ArgumentsHost, Catch, RpcExceptionFilter } from '@nestjs/common';
import { AppLogger } from '@xai/common';
import { Observable, throwError } from 'rxjs';

import { ConfigException } from './config.exception';
import { GrpcError, toGrpcError } from './grpc-status.mapper';

/** The one edge where config-service errors become gRPC statuses. */
@Catch()
export class ConfigGrpcExceptionFilter implements RpcExceptionFilter<unknown> {
  private readonly logger = new AppLogger(ConfigGrpcExceptionFilter.name);

  catch(exception: unknown, _host: ArgumentsHost): Observable<GrpcError> {
    const error = toGrpcError(exception);
    if (!(exception instanceof ConfigException)) {
      this.logger.error('unexpected error in a gRPC handler', {
        error: exception instanceof Error ? exception.stack : String(exception),
      });
    }

    // Nest's gRPC server passes the thrown object to grpc-js, which reads `code` and `message`.
    return throwError(() => error);
  }
}

import { Controller, UseFilters } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { GetRoutingSnapshotRequest, GetRoutingSnapshotResponse } from '@xai/contracts';

import { ConfigGrpcExceptionFilter } from '../errors/grpc-exception.filter';
import { RoutingSnapshotsService } from './routing-snapshots.service';

/** GetRoutingSnapshot. */
@Controller()
@UseFilters(ConfigGrpcExceptionFilter)
export class RoutingSnapshotsGrpcController {
  constructor(private readonly snapshots: RoutingSnapshotsService) {}

  @GrpcMethod('ConfigService', 'GetRoutingSnapshot')
  getRoutingSnapshot(request: GetRoutingSnapshotRequest): Promise<GetRoutingSnapshotResponse> {
    return this.snapshots.get(request);
  }
}

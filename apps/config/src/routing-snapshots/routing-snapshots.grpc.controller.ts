import { Controller, UseFilters, UseGuards } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { ServiceTokenGuard } from '@xai/common';
import { GetRoutingSnapshotRequest, GetRoutingSnapshotResponse } from '@xai/contracts';

import { ConfigGrpcExceptionFilter } from '../errors/grpc-exception.filter';
import { RoutingSnapshotsService } from './routing-snapshots.service';

/** GetRoutingSnapshot. */
@Controller()
@UseFilters(ConfigGrpcExceptionFilter)
@UseGuards(ServiceTokenGuard)
export class RoutingSnapshotsGrpcController {
  constructor(private readonly snapshots: RoutingSnapshotsService) {}

  @GrpcMethod('ConfigService', 'GetRoutingSnapshot')
  getRoutingSnapshot(request: GetRoutingSnapshotRequest): Promise<GetRoutingSnapshotResponse> {
    return this.snapshots.get(request);
  }
}

import { Controller, UseFilters, UseGuards } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { ServiceTokenGuard } from '@xai/common';
import type {
  GetKekRotationStatusResponse,
  PlanKekRotationResponse,
  StartKekRotationResponse,
} from '@xai/contracts';
import { z } from 'zod';

import { parseRequest } from '../custody/dto/provider-key.requests';
import { KeyVaultRpcExceptionFilter } from '../errors/key-vault-rpc.exception-filter';
import { KekRotationQueue } from './kek-rotation.queue';
import { KekRotationService } from './kek-rotation.service';

const MAX_BATCH_SIZE = 10_000;

const StartKekRotationRequestSchema = z.object({
  batchSize: z
    .number()
    .int()
    .min(0)
    .max(MAX_BATCH_SIZE, `batch_size must be at most ${MAX_BATCH_SIZE}`)
    .default(0),
  targetVersion: z.number().int().min(0).max(0xffff_ffff).default(0),
});

const GetKekRotationStatusRequestSchema = z.object({
  jobId: z.string().min(1, 'job_id is required').max(200, 'job_id is too long'),
});

/** KEK rotation control: dry run, start, status. Only the gateway's token is accepted. */
@Controller()
@UseFilters(KeyVaultRpcExceptionFilter)
@UseGuards(ServiceTokenGuard)
export class KekRotationGrpcController {
  constructor(
    private readonly rotation: KekRotationService,
    private readonly queue: KekRotationQueue,
  ) {}

  @GrpcMethod('KeyVaultService', 'PlanKekRotation')
  async planKekRotation(): Promise<PlanKekRotationResponse> {
    return this.rotation.plan();
  }

  @GrpcMethod('KeyVaultService', 'StartKekRotation')
  async startKekRotation(request: unknown): Promise<StartKekRotationResponse> {
    const { batchSize, targetVersion } = parseRequest(StartKekRotationRequestSchema, request);

    return this.queue.start(batchSize, targetVersion);
  }

  @GrpcMethod('KeyVaultService', 'GetKekRotationStatus')
  async getKekRotationStatus(request: unknown): Promise<GetKekRotationStatusResponse> {
    const { jobId } = parseRequest(GetKekRotationStatusRequestSchema, request);
    const status = await this.queue.status(jobId);

    return { ...status, plan: await this.rotation.plan() };
  }
}

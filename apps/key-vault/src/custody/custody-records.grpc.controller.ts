import { Controller, UseFilters, UseGuards } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { AppLogger, ServiceTokenGuard } from '@xai/common';
import type {
  CustodyRecord,
  GetProviderKeyRevisionResponse,
  ListCustodyRecordsResponse,
  PurgeCustodyRecordsResponse,
} from '@xai/contracts';
import { z } from 'zod';

import { KeyVaultRpcExceptionFilter } from '../errors/key-vault-rpc.exception-filter';
import { KekService } from '../kek/kek.service';
import { ConfigRecordsClient } from './config-records.client';
import { CustodyRecordsRepository } from './custody-records.repository';
import { id, parseRequest } from './dto/provider-key.requests';
import { ProviderKeyService } from './provider-key.service';

const MAX_RECORDS = 1_000;
const MAX_AGE_SECONDS = 365 * 24 * 3600;

const olderThan = z
  .number()
  .int()
  .min(60, 'older_than_seconds must be at least 60')
  .max(MAX_AGE_SECONDS, `older_than_seconds must be at most ${MAX_AGE_SECONDS}`);

const CustodyRecordSchema = z.object({
  tenantId: id('records.tenant_id'),
  kind: z.enum(['CUSTODY_RECORD_KIND_PROVIDER_KEY', 'CUSTODY_RECORD_KIND_CREDENTIAL_SLOT'], {
    message: 'records.kind must be PROVIDER_KEY or CREDENTIAL_SLOT',
  }),
  id: id('records.id'),
});

const GetProviderKeyRevisionRequestSchema = z.object({
  tenantId: id('tenant_id'),
  providerKeyId: id('provider_key_id'),
});

const ListCustodyRecordsRequestSchema = z.object({
  olderThanSeconds: olderThan,
  limit: z.number().int().min(0).max(MAX_RECORDS).default(0),
});

const PurgeCustodyRecordsRequestSchema = z.object({
  records: z.array(CustodyRecordSchema).max(MAX_RECORDS, `at most ${MAX_RECORDS} records`),
  olderThanSeconds: olderThan,
});

/**
 * Custody upkeep RPCs for the gateway: a ciphertext's revision (for compare-and-set
 * replacement) and the janitor's listing and purge of ciphertexts and slots that config no
 * longer names. The purge asks config itself and destroys only what it does not name, so it
 * cannot destroy a live record, whoever calls it. Addresses only; nothing here opens or returns
 * key material.
 */
@Controller()
@UseFilters(KeyVaultRpcExceptionFilter)
@UseGuards(ServiceTokenGuard)
export class CustodyRecordsGrpcController {
  private readonly logger = new AppLogger(CustodyRecordsGrpcController.name);

  constructor(
    private readonly kek: KekService,
    private readonly providerKeys: ProviderKeyService,
    private readonly records: CustodyRecordsRepository,
    private readonly config: ConfigRecordsClient,
  ) {}

  @GrpcMethod('KeyVaultService', 'GetProviderKeyRevision')
  async getProviderKeyRevision(request: unknown): Promise<GetProviderKeyRevisionResponse> {
    return this.providerKeys.revision(parseRequest(GetProviderKeyRevisionRequestSchema, request));
  }

  @GrpcMethod('KeyVaultService', 'ListCustodyRecords')
  async listCustodyRecords(request: unknown): Promise<ListCustodyRecordsResponse> {
    const { olderThanSeconds, limit } = parseRequest(ListCustodyRecordsRequestSchema, request);
    this.kek.assertUnsealed();

    return { records: await this.records.listOlderThan(olderThanSeconds, limit || MAX_RECORDS) };
  }

  @GrpcMethod('KeyVaultService', 'PurgeCustodyRecords')
  async purgeCustodyRecords(request: unknown): Promise<PurgeCustodyRecordsResponse> {
    const { records, olderThanSeconds } = parseRequest(PurgeCustodyRecordsRequestSchema, request);
    this.kek.assertUnsealed();

    const orphans = await this.orphansAmong(records);
    const purged = await this.records.purgeOlderThan(orphans, olderThanSeconds);
    for (const record of purged)
      this.logger.info('orphaned custody record destroyed', { ...record });

    return { records: purged };
  }

  /** The records config names no more, asked tenant by tenant. */
  private async orphansAmong(records: readonly CustodyRecord[]): Promise<CustodyRecord[]> {
    const orphans: CustodyRecord[] = [];
    for (const tenantId of new Set(records.map((record) => record.tenantId))) {
      const named = await this.config.namedBy(tenantId);
      orphans.push(
        ...records.filter((record) => record.tenantId === tenantId && !named.has(record.id)),
      );
    }

    return orphans;
  }
}

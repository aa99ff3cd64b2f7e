import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { status } from '@grpc/grpc-js';
import { AppLogger } from '@xai/common';
import { CustodyRecord, GrpcCallException } from '@xai/contracts';

import { AuditEmitter } from '../audit/audit-emitter';
import { ServiceClients } from '../clients/service-clients';
import { GATEWAY_CONFIG, GatewayConfig } from '../gateway.config';

/** Who the audit trail names as the actor of the janitor's deletions (not a virtual key). */
export const CUSTODY_JANITOR_ACTOR = 'system:custody-janitor';

/**
 * Destroys custody records that no config record names (DESIGN.md section 5): ciphertexts whose
 * provider key is gone and credential slots whose virtual key is gone, left behind when a
 * compensation step failed half-way. Only records unchanged for the grace period are touched,
 * and key-vault checks the age again as it deletes, so a create in flight (its ciphertext or
 * slot written, its config record not yet) is never destroyed. Each deletion is recorded on
 * the audit trail by id, never with key material.
 */
@Injectable()
export class CustodyJanitor {
  private readonly logger = new AppLogger(CustodyJanitor.name);

  constructor(
    private readonly clients: ServiceClients,
    private readonly audit: AuditEmitter,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /** One sweep; resolves what it destroyed. */
  async sweep(runId: string = randomUUID()): Promise<CustodyRecord[]> {
    const olderThanSeconds = this.config.XAI_CUSTODY_JANITOR_GRACE_SECONDS;
    const { records } = await this.clients.keyVault.call('listCustodyRecords', {
      olderThanSeconds,
    });
    const orphans: CustodyRecord[] = [];
    for (const [tenantId, candidates] of byTenant(records)) {
      const named = await this.namedBy(tenantId);
      if (named) orphans.push(...candidates.filter((record) => !named.has(record.id)));
    }
    if (orphans.length === 0) return [];

    const { records: destroyed } = await this.clients.keyVault.call('purgeCustodyRecords', {
      records: orphans,
      olderThanSeconds,
    });
    for (const record of destroyed) this.record(runId, record);
    this.logger.info('custody janitor destroyed orphaned records', {
      runId,
      destroyed: destroyed.length,
    });

    return destroyed;
  }

  /**
   * Every id config knows for the tenant (provider keys, live virtual keys and recovery codes),
   * an empty set when config has no such tenant, or `undefined` when config cannot tell now.
   */
  private async namedBy(tenantId: string): Promise<Set<string> | undefined> {
    try {
      const [{ providerKeys }, { virtualKeys }] = await Promise.all([
        this.clients.config.call('listProviderKeys', { tenantId }),
        this.clients.config.call('listVirtualKeys', { tenantId }),
      ]);

      return new Set([...providerKeys, ...virtualKeys].map((record) => record.id));
    } catch (error) {
      if (error instanceof GrpcCallException && error.code === status.NOT_FOUND) return new Set();
      this.logger.warn('custody janitor skipped a tenant: config did not answer', {
        tenantId,
        error: error instanceof Error ? error.message : String(error),
      });

      return undefined;
    }
  }

  private record(runId: string, record: CustodyRecord): void {
    const ciphertext = record.kind === 'CUSTODY_RECORD_KIND_PROVIDER_KEY';
    this.audit.emit({
      type: 'management_change',
      eventId: randomUUID(),
      occurredAt: new Date().toISOString(),
      tenantId: record.tenantId,
      requestId: `custody-janitor-${runId}`,
      actorVirtualKeyId: CUSTODY_JANITOR_ACTOR,
      actorMemberId: null,
      resource: ciphertext ? 'provider_key' : 'virtual_key',
      resourceId: record.id,
      action: 'delete',
      before: {
        Custody: ciphertext ? 'ciphertext' : 'credential slot',
        Reason: 'no config record names it',
      },
      after: null,
    });
  }
}

function byTenant(records: readonly CustodyRecord[]): Map<string, CustodyRecord[]> {
  const grouped = new Map<string, CustodyRecord[]>();
  for (const record of records) {
    grouped.set(record.tenantId, [...(grouped.get(record.tenantId) ?? []), record]);
  }

  return grouped;
}

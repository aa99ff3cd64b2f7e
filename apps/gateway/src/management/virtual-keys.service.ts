import { Injectable } from '@nestjs/common';
import { VirtualKey, VirtualKeyRole } from '@xai/contracts';

import { Caller } from '../auth/caller';
import { ServiceClients, fromGrpcError } from '../clients/service-clients';
import { CredentialIssuer, IssuedCredential } from '../custody/credential-issuer';
import { CustodyAuditEmitter } from '../custody/custody-audit.emitter';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayException } from '../errors/gateway.exception';
import { toVirtualKeyView } from './dto/virtual-key.dto';

const RECOVERY_CODE_NAME = 'recovery code';
const ROTATED =
  'This key was rotated or revoked by another request at the same time; use the key that request returned.';
const RECOVERED =
  'This recovery code was used by another request at the same time; use the owner key that request returned.';

/**
 * Virtual-key management: issue, list, revoke, rotate the caller's own key, replace the
 * recovery code, and recover an owner key with it. Every change is recorded on the audit
 * stream with the caller as actor.
 */
@Injectable()
export class VirtualKeysService {
  constructor(
    private readonly clients: ServiceClients,
    private readonly issuer: CredentialIssuer,
    private readonly audit: CustodyAuditEmitter,
  ) {}

  /** Issues a key of `role` for the caller's tenant; the caller's credential opens the DEK. */
  async issue(
    caller: Caller,
    spec: { name: string; role: VirtualKeyRole; memberId?: string },
    requestId: string,
  ): Promise<IssuedCredential> {
    const issued = await this.issuer.issue(caller, spec);
    await this.recordChange(caller, requestId, 'create', issued.record.id, null, issued.record);

    return issued;
  }

  /** The tenant's keys that still authenticate. */
  async list(caller: Caller): Promise<VirtualKey[]> {
    try {
      const { virtualKeys } = await this.clients.config.call('listVirtualKeys', {
        tenantId: caller.tenantId,
      });

      return virtualKeys;
    } catch (error) {
      throw fromGrpcError(error, 'list the virtual keys');
    }
  }

  /** Revokes another key of the tenant at once (its slot is destroyed). */
  async revoke(caller: Caller, id: string, requestId: string): Promise<VirtualKey> {
    if (id === caller.virtualKeyId) {
      throw new GatewayException(
        GatewayErrorCode.InvalidRequest,
        'A key cannot revoke itself; use POST /x-self/rotate to replace it.',
      );
    }
    const revoked = await this.issuer.revoke(caller, id, 0);
    await this.recordChange(caller, requestId, 'delete', id, revoked, null);

    return revoked;
  }

  /**
   * Replaces the caller's own key: a new key with the same role and name, and the old one
   * revoked at once or after `graceSeconds`. Of several rotations of one key at once (on any
   * replica), exactly one wins; the others undo their new key and fail with `conflict`.
   */
  async rotateSelf(
    caller: Caller,
    graceSeconds: number,
    requestId: string,
  ): Promise<{ issued: IssuedCredential; previous: VirtualKey }> {
    const own = (await this.list(caller)).find((key) => key.id === caller.virtualKeyId);
    const name = own?.name ?? 'rotated key';
    const spec = { name, role: caller.role, memberId: caller.memberId };
    const issued = await this.issue(caller, spec, requestId);
    const previous = await this.retireCaller(caller, graceSeconds, requestId, [issued], ROTATED);
    await this.recordChange(
      caller,
      requestId,
      'update',
      caller.virtualKeyId,
      own ?? null,
      previous,
    );

    return { issued, previous };
  }

  /**
   * Uses the caller's recovery code once: a new owner key and a new recovery code (both shown
   * once, in the answer), opened by the code's slot, then the code is revoked with its slot.
   * Of several uses of one code at once, exactly one wins; the others undo what they issued
   * and fail with `conflict`.
   */
  async recover(
    caller: Caller,
    name: string,
    requestId: string,
  ): Promise<{ owner: IssuedCredential; recoveryCode: IssuedCredential }> {
    const owner = await this.issue(caller, { name, role: 'VIRTUAL_KEY_ROLE_OWNER' }, requestId);
    const recoveryCode = await this.issue(
      caller,
      { name: RECOVERY_CODE_NAME, role: 'VIRTUAL_KEY_ROLE_RECOVERY' },
      requestId,
    ).catch(async (error: unknown) => {
      await this.undo(caller, requestId, owner);
      throw error;
    });
    const used = await this.retireCaller(caller, 0, requestId, [owner, recoveryCode], RECOVERED);
    await this.recordChange(caller, requestId, 'delete', caller.virtualKeyId, used, null);

    return { owner, recoveryCode };
  }

  /** A new recovery code for the tenant; every earlier one stops working. */
  async replaceRecoveryCode(caller: Caller, requestId: string): Promise<IssuedCredential> {
    const earlier = (await this.list(caller)).filter(
      (key) => key.role === 'VIRTUAL_KEY_ROLE_RECOVERY',
    );
    const issued = await this.issue(
      caller,
      { name: RECOVERY_CODE_NAME, role: 'VIRTUAL_KEY_ROLE_RECOVERY' },
      requestId,
    );
    for (const key of earlier) {
      await this.issuer.revoke(caller, key.id, 0);
      await this.recordChange(caller, requestId, 'delete', key.id, key, null);
    }

    return issued;
  }

  /**
   * Revokes the caller's own key with a compare-and-set; when another request got there first,
   * revokes what this request issued (so no key or slot is left over) and fails with
   * `conflict`.
   */
  private async retireCaller(
    caller: Caller,
    graceSeconds: number,
    requestId: string,
    issued: readonly IssuedCredential[],
    conflictMessage: string,
  ): Promise<VirtualKey> {
    try {
      return await this.issuer.revoke(caller, caller.virtualKeyId, graceSeconds, {
        onlyIfUnscheduled: true,
      });
    } catch (error) {
      if (!(error instanceof GatewayException) || error.code !== GatewayErrorCode.Conflict) {
        throw error;
      }
      for (const credential of issued) await this.undo(caller, requestId, credential);
      throw new GatewayException(GatewayErrorCode.Conflict, conflictMessage, { cause: error });
    }
  }

  /** Revokes a credential this request issued and records that. */
  private async undo(caller: Caller, requestId: string, issued: IssuedCredential): Promise<void> {
    // Its own slot authorises the removal: the caller's may be gone (a concurrent recovery won).
    const revoked = await this.issuer.revoke(caller, issued.record.id, 0, {
      openedWith: issued.slot,
    });
    await this.recordChange(caller, requestId, 'delete', issued.record.id, revoked, null);
  }

  private async recordChange(
    caller: Caller,
    requestId: string,
    action: 'create' | 'update' | 'delete',
    resourceId: string,
    before: VirtualKey | null,
    after: VirtualKey | null,
  ): Promise<void> {
    await this.audit.record(caller, requestId, {
      resource: 'virtual_key',
      resourceId,
      action,
      before: before && { ...toVirtualKeyView(before) },
      after: after && { ...toVirtualKeyView(after) },
    });
  }
}

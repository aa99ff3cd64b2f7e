import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { AppLogger } from '@xai/common';
import { Credential, VirtualKey, VirtualKeyRole } from '@xai/contracts';
import {
  generateRecoveryCode,
  generateVirtualKey,
  recoveryCodeWrappingSecret,
  virtualKeyHint,
  virtualKeyLookupHash,
  virtualKeyWrappingSecret,
} from '@xai/crypto';

import { Caller, credentialOf } from '../auth/caller';
import { CREDENTIAL_ERRORS, ServiceClients, fromGrpcError } from '../clients/service-clients';
import { GATEWAY_CONFIG, GatewayConfig } from '../gateway.config';
import { ConfigChangeListener } from '../routing/config-change.listener';

/** A credential just made: its secret (shown once, never stored) and its record. */
export interface IssuedCredential {
  secret: string;
  record: VirtualKey;
  /** Its own slot's credential, so the request that issued it can undo it. Memory only. */
  slot: Credential;
}

/** A credential about to be recorded: the secret, and what key-vault and config need of it. */
export interface NewCredential {
  id: string;
  secret: string;
  hash: string;
  hint: string;
  slot: { slotId: string; wrappingSecret: Buffer };
}

/** How a revocation is made. */
export interface RevokeOptions {
  /**
   * A compare-and-set: a credential whose revocation another request has already scheduled is
   * left alone, and the revocation fails with the `conflict` code.
   */
  onlyIfUnscheduled?: boolean;
  /** The credential that opens the keyring to remove the slot with; the caller's by default. */
  openedWith?: Credential;
}

/** What to issue. */
export interface CredentialSpec {
  role: VirtualKeyRole;
  name: string;
  /** The member a member-role key is for. */
  memberId?: string;
}

/**
 * Issues and revokes a tenant's credentials (virtual keys and recovery codes) in both places
 * that know them: key-vault gets a credential slot (opened with an existing credential of the
 * caller, so only a credential holder can add one) and config gets the keyed-hash record. The
 * secret is generated here and returned once; key-vault sees only a value derived from it,
 * config only its peppered hash. A failure half-way is compensated.
 */
@Injectable()
export class CredentialIssuer {
  private readonly logger = new AppLogger(CredentialIssuer.name);

  constructor(
    private readonly clients: ServiceClients,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly changes: ConfigChangeListener,
  ) {}

  /** A fresh credential of `role`; recovery codes use their own format and derivation. */
  prepare(role: VirtualKeyRole): NewCredential {
    const recovery = role === 'VIRTUAL_KEY_ROLE_RECOVERY';
    const secret = recovery ? generateRecoveryCode() : generateVirtualKey();
    const id = randomUUID();
    const wrappingSecret = recovery
      ? recoveryCodeWrappingSecret(secret)
      : virtualKeyWrappingSecret(secret);

    return {
      id,
      secret,
      hash: virtualKeyLookupHash(secret, this.config.XAI_VIRTUAL_KEY_PEPPER),
      hint: virtualKeyHint(secret),
      slot: { slotId: id, wrappingSecret },
    };
  }

  /** Issues a credential of the caller's tenant: a slot the caller opens, then the record. */
  async issue(caller: Caller, spec: CredentialSpec): Promise<IssuedCredential> {
    const credential = this.prepare(spec.role);
    try {
      await this.clients.keyVault.call('addCredentialSlot', {
        tenantId: caller.tenantId,
        credential: credentialOf(caller),
        newCredential: credential.slot,
      });
    } catch (error) {
      // PERMISSION_DENIED: the caller's own slot is gone (a concurrent use of the same
      // recovery code won, or the key was revoked meanwhile).
      throw fromGrpcError(error, 'issue the key', CREDENTIAL_ERRORS);
    }

    return {
      secret: credential.secret,
      record: await this.record(caller.tenantId, credential, spec),
      slot: credential.slot,
    };
  }

  /**
   * Records a credential whose slot exists; destroys the slot when config refuses, so no slot
   * is left that no record names.
   */
  async record(
    tenantId: string,
    credential: NewCredential,
    spec: CredentialSpec,
  ): Promise<VirtualKey> {
    try {
      const { virtualKey } = await this.clients.config.call('issueVirtualKey', {
        tenantId,
        id: credential.id,
        virtualKeyHash: credential.hash,
        virtualKeyHint: credential.hint,
        role: spec.role,
        name: spec.name,
        memberId: spec.memberId,
      });

      return virtualKey;
    } catch (error) {
      // The new slot opens the keyring itself: no other credential is needed to take it back.
      await this.removeSlot(credential.slot, tenantId, credential.id, 0);
      throw fromGrpcError(error, 'record the key');
    }
  }

  /**
   * Revokes a credential of the caller's tenant: the record first (it stops authenticating),
   * then its slot, at once or after `graceSeconds`; key-vault removes the slot only for a
   * credential that opens the keyring (the caller's, or `options.openedWith`).
   */
  async revoke(
    caller: Caller,
    id: string,
    graceSeconds: number,
    options: RevokeOptions = {},
  ): Promise<VirtualKey> {
    const { tenantId } = caller;
    const onlyIfUnscheduled = options.onlyIfUnscheduled ?? false;
    try {
      const { virtualKey } = await this.clients.config.call('revokeVirtualKey', {
        tenantId,
        id,
        graceSeconds,
        onlyIfUnscheduled,
      });
      // This replica stops accepting the key now, whether or not the config stream is up.
      this.changes.applyLocally(tenantId);
      await this.removeSlot(options.openedWith ?? credentialOf(caller), tenantId, id, graceSeconds);

      return virtualKey;
    } catch (error) {
      throw fromGrpcError(error, 'revoke the key');
    }
  }

  /**
   * Destroys a credential's key-vault slot, at once or after `graceSeconds`, for a credential
   * whose record config has already revoked; `openedWith` (a credential of the tenant) opens the
   * keyring to authorise it. Never throws: a slot left behind opens nothing.
   */
  async removeSlot(
    openedWith: Credential,
    tenantId: string,
    slotId: string,
    graceSeconds: number,
  ): Promise<void> {
    try {
      await this.clients.keyVault.call('removeCredentialSlot', {
        tenantId,
        slotId,
        graceSeconds,
        credential: openedWith,
      });
    } catch (error) {
      // The record is gone or refused, so the slot opens nothing anyone can present.
      // The custody janitor removes it once it is older than its grace period.
      this.logger.error('credential slot not removed', {
        tenantId,
        slotId,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}

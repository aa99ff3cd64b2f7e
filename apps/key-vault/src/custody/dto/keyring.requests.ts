import { z } from 'zod';

import { MAX_ID_LENGTH } from '../../database/key-vault-schema';
import { credentialSchema, id } from './provider-key.requests';

const MAX_GRACE_SECONDS = 30 * 24 * 3600;
const MAX_CREDENTIALS = 8;

/** A valid `CreateKeyringRequest`: distinct slot ids, at least one. */
export const CreateKeyringRequestSchema = z.object({
  tenantId: id('tenant_id'),
  credentials: z
    .array(credentialSchema('credentials[]'))
    .min(1, 'credentials must hold at least one credential')
    .max(MAX_CREDENTIALS, `credentials must hold at most ${MAX_CREDENTIALS} credentials`)
    .refine(
      (credentials) =>
        new Set(credentials.map((credential) => credential.slotId)).size === credentials.length,
      'credentials must have distinct slot ids',
    ),
});

/** A valid `AddCredentialSlotRequest`. */
export const AddCredentialSlotRequestSchema = z.object({
  tenantId: id('tenant_id'),
  credential: credentialSchema(),
  newCredential: credentialSchema('new_credential'),
});

/** A valid `RemoveCredentialSlotRequest`. */
export const RemoveCredentialSlotRequestSchema = z.object({
  tenantId: id('tenant_id'),
  slotId: id('slot_id'),
  graceSeconds: z
    .number()
    .int()
    .min(0)
    .max(MAX_GRACE_SECONDS, `grace_seconds must be at most ${MAX_GRACE_SECONDS}`)
    .default(0),
  credential: credentialSchema(),
});

/** A valid `DestroyTenantRequest`. */
export const DestroyTenantRequestSchema = z.object({
  tenantId: id('tenant_id'),
  destroyedBy: id('destroyed_by'),
  requestId: z
    .string()
    .max(MAX_ID_LENGTH, `request_id must be at most ${MAX_ID_LENGTH} characters`)
    .default(''),
  credential: credentialSchema(),
});

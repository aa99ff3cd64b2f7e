import { z } from 'zod';

import { MAX_ID_LENGTH } from '../../database/key-vault-schema';
import { KeyVaultErrorCode } from '../../errors/key-vault-error-code';
import { KeyVaultException } from '../../errors/key-vault.exception';

const WRAPPING_SECRET_BYTES = 32;
const MAX_SECRET_KEY_LENGTH = 8192;
const MAX_BASE_URL_LENGTH = 2048;
const MAX_SETTINGS = 256;
const MAX_SETTING_LENGTH = 1024;
const REVISION_LENGTH = 64;

// Messages name the field and the rule, never the value received.
/** A required id of at most {@link MAX_ID_LENGTH} characters; messages name `field` only. */
export const id = (field: string) =>
  z
    .string({
      required_error: `${field} is required`,
      invalid_type_error: `${field} must be a string`,
    })
    .min(1, `${field} is required`)
    .max(MAX_ID_LENGTH, `${field} must be at most ${MAX_ID_LENGTH} characters`);

/** A `Credential` message in field `field`: a slot id and a 32-byte wrapping secret. */
export const credentialSchema = (field = 'credential') =>
  z.object(
    {
      slotId: id(`${field}.slot_id`),
      wrappingSecret: z
        .instanceof(Buffer, { message: `${field}.wrapping_secret is required` })
        .refine(
          (secret) => secret.length === WRAPPING_SECRET_BYTES,
          `${field}.wrapping_secret must be exactly ${WRAPPING_SECRET_BYTES} bytes`,
        ),
    },
    { required_error: `${field} is required`, invalid_type_error: `${field} is required` },
  );

const settingText = (part: 'name' | 'value') =>
  z
    .string({ required_error: `destination.settings items need a ${part}` })
    .max(
      MAX_SETTING_LENGTH,
      `destination.settings ${part}s must be at most ${MAX_SETTING_LENGTH} characters`,
    );

/** A `Destination` message: where the key is sent, bound into its ciphertext. */
const destinationSchema = z.object(
  {
    baseUrl: z
      .string({ required_error: 'destination.base_url is required' })
      .min(1, 'destination.base_url is required')
      .max(
        MAX_BASE_URL_LENGTH,
        `destination.base_url must be at most ${MAX_BASE_URL_LENGTH} characters`,
      ),
    providerType: id('destination.provider_type'),
    settings: z
      .array(
        z.object({
          name: settingText('name'),
          value: settingText('value'),
        }),
      )
      .max(MAX_SETTINGS, `destination.settings must have at most ${MAX_SETTINGS} items`)
      .default([]),
  },
  { required_error: 'destination is required', invalid_type_error: 'destination is required' },
);

/** A valid `EncryptProviderKeyRequest`. */
export const EncryptProviderKeyRequestSchema = z.object({
  tenantId: id('tenant_id'),
  providerKeyId: id('provider_key_id'),
  secretKey: z
    .string({ required_error: 'secret_key is required' })
    .min(1, 'secret_key is required')
    .max(MAX_SECRET_KEY_LENGTH, `secret_key must be at most ${MAX_SECRET_KEY_LENGTH} characters`),
  credential: credentialSchema(),
  destination: destinationSchema,
  expectedRevision: z
    .string()
    .max(REVISION_LENGTH, `expected_revision must be at most ${REVISION_LENGTH} characters`)
    .optional(),
});

/** A valid `DecryptProviderKeyRequest`. */
export const DecryptProviderKeyRequestSchema = z.object({
  tenantId: id('tenant_id'),
  providerKeyId: id('provider_key_id'),
  credential: credentialSchema(),
  requestId: z
    .string()
    .max(MAX_ID_LENGTH, `request_id must be at most ${MAX_ID_LENGTH} characters`)
    .default(''),
  destination: destinationSchema,
});

/** A valid `DestroyProviderKeyRequest`. */
export const DestroyProviderKeyRequestSchema = z.object({
  tenantId: id('tenant_id'),
  providerKeyId: id('provider_key_id'),
  credential: credentialSchema(),
});

/**
 * Validates a gRPC request against `schema`.
 *
 * @throws KeyVaultException `INVALID_ARGUMENT` listing every problem, without any value.
 */
export function parseRequest<S extends z.ZodTypeAny>(schema: S, request: unknown): z.infer<S> {
  const parsed = schema.safeParse(request);
  if (parsed.success) return parsed.data as z.infer<S>;

  const problems = parsed.error.issues.map((issue) => issue.message);

  throw new KeyVaultException(KeyVaultErrorCode.InvalidArgument, [...new Set(problems)].join('; '));
}

import { ProviderKey } from '@xai/contracts';
import { jsonValueProblem } from '@xai/events';
import { z } from 'zod';

/** The largest `Config` of a provider key, as JSON. */
const MAX_CONFIG_JSON_BYTES = 16 * 1024;
/** How deep a provider key's `Config` may nest. */
const MAX_CONFIG_DEPTH = 32;
/** A control character (NUL among them), as config's own field checks refuse them. */
const CONTROL_CHARACTER = /\p{Cc}/u;

const ProviderConfigSchema = z
  .object({
    provider_type: z.enum(['openai', 'anthropic', 'gemini', 'azure']).optional(),
    /** Share of first picks within its level (default 1); 0 keeps the key as a standby. */
    weight: z.number().int().min(0).max(1000).optional(),
    /** The only models this key serves: names or patterns (`*`, `?`) of the upstream model. */
    models: z.array(z.string().trim().min(1).max(200)).min(1).max(200).optional(),
  })
  .passthrough()
  // Kept well within what the audit trail stores of a change's state (64 KiB, 256 deep), so
  // no change to a key can be left out of the trail for its size.
  .superRefine((config, ctx) => {
    const problem = jsonValueProblem(config, MAX_CONFIG_DEPTH);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
    else if (Buffer.byteLength(JSON.stringify(config), 'utf8') > MAX_CONFIG_JSON_BYTES) {
      ctx.addIssue({
        code: 'custom',
        message: `must be at most ${MAX_CONFIG_JSON_BYTES} bytes as JSON`,
      });
    }
  });

/** `POST /x-keys`: the shape of DESIGN.md section 7. */
export const CreateProviderKeyBodySchema = z
  .object({
    SecretKey: z
      .string()
      .min(1)
      .max(8192)
      .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces, as provider keys are'),
    Name: z.string().trim().min(1).max(200),
    Level: z.number().int().min(1).max(1000),
    Provider: z
      .string()
      .url()
      .max(2048)
      .refine(
        isPlainBaseUrl,
        'must be an http(s) base URL without user, password, query or fragment',
      )
      .refine((value) => !CONTROL_CHARACTER.test(value), 'must not hold control characters'),
    Status: z.boolean().default(true),
    Config: ProviderConfigSchema.optional(),
  })
  .strict();

function isPlainBaseUrl(value: string): boolean {
  try {
    const url = new URL(value);

    return (
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      !url.username &&
      !url.password &&
      !url.search &&
      !url.hash &&
      !value.includes('?') &&
      !value.includes('#')
    );
  } catch {
    return false;
  }
}

/** `PUT /x-keys/:id`: any subset of the create fields. */
export const UpdateProviderKeyBodySchema = CreateProviderKeyBodySchema.partial()
  .strict()
  .refine((body) => Object.keys(body).length > 0, { message: 'Nothing to change' });

export type CreateProviderKeyBody = z.infer<typeof CreateProviderKeyBodySchema>;
export type UpdateProviderKeyBody = z.infer<typeof UpdateProviderKeyBodySchema>;

/** A provider key as the management API shows it: never the secret, only its last four. */
export interface ProviderKeyView {
  ID: string;
  Name: string;
  Level: number;
  Provider: string;
  Status: boolean;
  Config: Record<string, unknown>;
  SecretHint: string;
  CreatedAt: string;
  UpdatedAt: string;
}

/** Maps config's record to the API's PascalCase view. */
export function toProviderKeyView(key: ProviderKey): ProviderKeyView {
  return {
    ID: key.id,
    Name: key.name,
    Level: key.level,
    Provider: key.provider,
    Status: key.status,
    Config: { ...parseObject(key.configJson), provider_type: key.providerType },
    SecretHint: key.secretHint,
    CreatedAt: key.createdAt,
    UpdatedAt: key.updatedAt,
  };
}

/** The last four characters of a secret, for recognition; short secrets show nothing. */
export function secretHint(secret: string): string {
  return secret.length >= 12 ? `…${secret.slice(-4)}` : '…';
}

function parseObject(json: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(json || '{}');

    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

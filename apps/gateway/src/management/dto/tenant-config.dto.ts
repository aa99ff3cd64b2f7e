import { TenantConfig } from '@xai/contracts';
import { z } from 'zod';

/** The most a rule text may take, as the audit trail stores it (a JSON string, UTF-8). */
const MAX_RULES_JSON_BYTES = 16_384;

/**
 * A rule text (LevelMapper, ModelMapper, SwitchOver): at most 16,384 characters, and at most
 * 16 KiB as a JSON string, so that a change's state (all three) always fits the 64 KiB the
 * audit trail stores; a larger one would leave the change out of the trail.
 */
const rulesText = z
  .string()
  .max(16_384)
  .refine(
    (text) => Buffer.byteLength(JSON.stringify(text), 'utf8') - 2 <= MAX_RULES_JSON_BYTES,
    `must be at most ${MAX_RULES_JSON_BYTES} bytes of UTF-8 (quotes and backslashes count twice)`,
  );

/** `POST /x-conf`: a partial update. `Version` is accepted (and ignored) so exports re-import. */
export const UpdateTenantConfigBodySchema = z
  .object({
    LevelMapper: rulesText.optional(),
    ModelMapper: rulesText.optional(),
    SwitchOver: rulesText.optional(),
    DefaultLevel: z.number().int().min(1).max(1000).optional(),
    Version: z.number().int().optional(),
    /** Shown by `GET` (live key health); accepted and ignored here, so exports re-import. */
    KeyHealth: z.unknown().optional(),
  })
  .strict();

export type UpdateTenantConfigBody = z.infer<typeof UpdateTenantConfigBodySchema>;

/** The tenant's configuration as `GET /x-conf` shows it. */
export interface TenantConfigView {
  LevelMapper: string;
  ModelMapper: string;
  SwitchOver: string;
  DefaultLevel: number;
  Version: number;
}

/** Maps config's record to the API's PascalCase view. */
export function toTenantConfigView(config: TenantConfig): TenantConfigView {
  return {
    LevelMapper: config.levelMapper,
    ModelMapper: config.modelMapper,
    SwitchOver: config.switchOver,
    DefaultLevel: config.defaultLevel,
    Version: config.version,
  };
}

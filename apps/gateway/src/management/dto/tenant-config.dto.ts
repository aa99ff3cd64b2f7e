import { TenantConfig } from '@xai/contracts';
import { z } from 'zod';

/** `POST /x-conf`: a partial update. `Version` is accepted (and ignored) so exports re-import. */
export const UpdateTenantConfigBodySchema = z
  .object({
    LevelMapper: z.string().max(16_384).optional(),
    ModelMapper: z.string().max(16_384).optional(),
    SwitchOver: z.string().max(16_384).optional(),
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

import { defaultSpoolDir } from '@xai/events';

import type { GatewayConfig } from '../gateway.config';

/**
 * The spool folder: `XAI_AUDIT_SPOOL_DIR`, else one per port under the system's temporary
 * folder, so replicas on one host never share a spool (its lock would refuse the second).
 */
export function auditSpoolDir(
  config: Pick<GatewayConfig, 'XAI_AUDIT_SPOOL_DIR' | 'HTTP_PORT'>,
): string {
  return config.XAI_AUDIT_SPOOL_DIR ?? defaultSpoolDir(`gateway-${config.HTTP_PORT}`);
}

import { GatewayConfig } from '../gateway.config';
import { KeyHealthSettings } from './key-health.types';

/** After this long without a new sleep, a key's backoff starts again from the base. */
const STRIKE_DECAY_MS = 10 * 60_000;

/** How long one half-open trial call holds a key before another may try it. */
const TRIAL_LEASE_MS = 30_000;

/** The state machine's settings from the gateway's environment (which refuses 0 for each). */
export function keyHealthSettings(config: GatewayConfig): KeyHealthSettings {
  return {
    failureThreshold: config.XAI_KEY_FAILURE_THRESHOLD,
    failureWindowMs: config.XAI_KEY_FAILURE_WINDOW_MS,
    sleepBaseMs: config.XAI_KEY_SLEEP_BASE_MS,
    sleepMaxMs: config.XAI_KEY_SLEEP_MAX_MS,
    strikeDecayMs: STRIKE_DECAY_MS,
    trialLeaseMs: TRIAL_LEASE_MS,
  };
}

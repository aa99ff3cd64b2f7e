import { KeyHealthReason, KeyHealthState } from '@xai/events';

export type { KeyHealthReason, KeyHealthState };

/** Why a key was set aside after transient failures. */
export type TransientReason = 'server_error' | 'timeout' | 'unreachable';

/** Why a key is dead: the provider refused it, or its account cannot pay. */
export type FatalReason = 'unauthorized' | 'forbidden' | 'quota';

/**
 * A provider key's health as stored in Redis (one JSON value per key), shared by every gateway
 * replica. No record means a healthy key with no recent failures.
 */
export interface KeyHealthRecord {
  state: KeyHealthState;
  tenantId: string;
  reason: KeyHealthReason | null;
  /** A short, secret-free detail such as `HTTP 429` or `insufficient_quota`. */
  detail: string | null;
  /** When the current state began (epoch ms). */
  since: number;
  /** Sleeping: when the sleep ends and the key becomes half-open (epoch ms). */
  until: number | null;
  /** Half-open: a trial call or probe holds the key until then (epoch ms). */
  trialUntil: number | null;
  /** Times of recent transient failures while active, within the failure window. */
  failures: number[];
  /** Consecutive sleeps, so that the backoff grows; forgotten after a quiet spell. */
  strikes: number;
  lastStrikeAt: number | null;
  /**
   * Dead or sleeping: the key's revision (its `updatedAt`) when it died or fell asleep; any
   * later change by its owner revives it. Null when not known (then only a dead key has one).
   */
  keyRevision: string | null;
}

/** What the router may do with a key right now. */
export type KeyStatus =
  | { kind: 'active' }
  | { kind: 'sleeping'; until: number; reason: KeyHealthReason | null; detail: string | null }
  /** The sleep is over: one trial call (or probe) may use the key; `busy` while one runs. */
  | { kind: 'half_open'; until: number; reason: KeyHealthReason | null; busy: boolean }
  | { kind: 'dead'; since: number; reason: KeyHealthReason | null; detail: string | null };

/** A fact about one call (or probe) that the health state machine reacts to. */
export type HealthInput =
  | { type: 'success' }
  | { type: 'rate_limited'; retryAfterMs: number | null; detail: string; keyRevision?: string }
  | { type: 'transient'; reason: TransientReason; detail: string; keyRevision?: string }
  | { type: 'fatal'; reason: FatalReason; detail: string; keyRevision: string }
  | { type: 'claim_trial' }
  | { type: 'revive'; keyRevision: string };

/** A change worth telling the other services about (published on the key-health stream). */
export interface HealthTransition {
  from: KeyHealthState;
  to: KeyHealthState;
  reason: KeyHealthReason;
  detail: string | null;
  until: number | null;
}

/** How the state machine behaves; every duration in ms. */
export interface KeyHealthSettings {
  /** Transient failures within `failureWindowMs` that put an active key to sleep. */
  failureThreshold: number;
  failureWindowMs: number;
  /** First sleep when the provider gives no hint; doubles per consecutive sleep. */
  sleepBaseMs: number;
  /** Longest sleep the router picks by itself (a provider's own hint may be longer). */
  sleepMaxMs: number;
  /** After this long without a new sleep, the backoff starts again from the base. */
  strikeDecayMs: number;
  /** How long one half-open trial holds a key before another may try. */
  trialLeaseMs: number;
}

/** The time source of the health code, replaceable by a fake clock in tests. */
export interface Clock {
  now(): number;
}

/** The wall clock. */
export const SYSTEM_CLOCK: Clock = { now: () => Date.now() };

/** What the health code needs to know of a provider key: never its secret. */
export interface HealthKey {
  id: string;
  tenantId: string;
  /** Changes whenever the owner changes the key (its `updatedAt`). */
  revision: string;
  baseUrl: string;
  providerType: string;
  privateLiteralHost: boolean;
  /** The key's `Config` (no secret), which some provider types need to build a URL. */
  settings?: Readonly<Record<string, unknown>>;
}

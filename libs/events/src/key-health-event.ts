import { z } from 'zod/v4';

import { EventTimeSchema } from './audit-event';

/** What a provider key's health can be, as every gateway replica sees it. */
export const KEY_HEALTH_STATES = ['active', 'sleeping', 'dead'] as const;

/** Why a key left (or came back to) the active state. */
export const KEY_HEALTH_REASONS = [
  /** The provider answered 429. */
  'rate_limited',
  /** Repeated 5xx answers. */
  'server_error',
  /** Repeated timeouts (connect, first byte, idle). */
  'timeout',
  /** Repeated connection failures (refused, reset, DNS). */
  'unreachable',
  /** The provider refused the key (401). */
  'unauthorized',
  /** The provider forbade the key (403). */
  'forbidden',
  /** Billing or quota exhausted (e.g. OpenAI's `insufficient_quota`, HTTP 402). */
  'quota',
  /** A half-open trial or probe succeeded. */
  'recovered',
  /** The owner changed a dead or sleeping key (new secret, status toggled, …). */
  'revived',
] as const;

/**
 * Published by a gateway when a provider key's health changes (DESIGN.md section 6): it went to
 * sleep, died, failed a half-open trial, or came back. Exactly one replica publishes each
 * transition (the one whose compare-and-set won in Redis). Carries ids and reasons only: never
 * a secret, never provider error text.
 */
export const KeyHealthEventSchema = z.object({
  eventId: z.guid('Invalid UUID'),
  tenantId: z.string().min(1),
  providerKeyId: z.string().min(1),
  /** The state before the transition. */
  from: z.enum(KEY_HEALTH_STATES),
  /** The state after it. */
  to: z.enum(KEY_HEALTH_STATES),
  reason: z.enum(KEY_HEALTH_REASONS),
  /** A short, secret-free detail such as `HTTP 429` or `insufficient_quota`. */
  detail: z.string().max(200).nullable(),
  /** Until when a sleeping key sleeps (ISO 8601); null for the other states. */
  until: EventTimeSchema.nullable(),
  occurredAt: EventTimeSchema,
});

export type KeyHealthEvent = z.infer<typeof KeyHealthEventSchema>;

/** A key-health state. */
export type KeyHealthState = (typeof KEY_HEALTH_STATES)[number];

/** A key-health transition reason. */
export type KeyHealthReason = (typeof KEY_HEALTH_REASONS)[number];

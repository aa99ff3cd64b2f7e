import { randomUUID } from 'node:crypto';

import { RequestAuditEvent, Usage } from '@xai/events';

import { Caller } from '../auth/caller';

/**
 * What one request did, filled in as it goes and turned into its audit event at the end. The
 * event id is fixed here, before any upstream call, so a replayed event is stored once.
 */
export class RequestTrace {
  readonly eventId = randomUUID();
  readonly startedAt = Date.now();
  caller?: Caller;
  requestedModel: string | null = null;
  upstreamModel: string | null = null;
  level: number | null = null;
  providerKeyId: string | null = null;
  attempts = 0;
  status = 200;
  errorCode: string | null = null;
  stream = false;
  usage: Usage | null = null;

  constructor(
    readonly requestId: string,
    readonly endpoint: string,
  ) {}

  /** The audit event, or undefined when the caller was never authenticated (no tenant). */
  toEvent(): RequestAuditEvent | undefined {
    if (!this.caller) return undefined;

    return {
      type: 'request',
      eventId: this.eventId,
      requestId: this.requestId,
      occurredAt: new Date(this.startedAt).toISOString(),
      tenantId: this.caller.tenantId,
      virtualKeyId: this.caller.virtualKeyId,
      providerKeyId: this.providerKeyId,
      level: this.level,
      requestedModel: this.requestedModel,
      upstreamModel: this.upstreamModel,
      endpoint: this.endpoint,
      status: this.status,
      errorCode: this.errorCode,
      stream: this.stream,
      attempts: this.attempts,
      latencyMs: Date.now() - this.startedAt,
      usage: this.usage,
    };
  }
}

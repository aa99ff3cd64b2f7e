import { randomUUID } from 'node:crypto';

import { AttemptDetail, RequestAuditEvent, Usage } from '@xai/events';
import { activeTraceparent } from '@xai/telemetry';

import { Caller } from '../auth/caller';

/**
 * What one request did, filled in as it goes and turned into its audit event at the end. The
 * event id is fixed once, the first time it is asked for, so a replayed event is stored once.
 */
export class RequestTrace {
  readonly startedAt = Date.now();
  caller?: Caller;
  /** The member behind the virtual key; null for the owner's keys. */
  memberId: string | null = null;
  requestedModel: string | null = null;
  upstreamModel: string | null = null;
  level: number | null = null;
  providerKeyId: string | null = null;
  /** The provider type of the key that answered. */
  providerType: string | null = null;
  attempts = 0;
  status = 200;
  errorCode: string | null = null;
  /** A coarse class of the failure (see {@link AttemptDetail.errorClass}); null on success. */
  errorClass: string | null = null;
  stream = false;
  usage: Usage | null = null;
  private readonly attemptLog: AttemptDetail[] = [];
  private firstByteAt?: number;
  private id?: string;

  constructor(
    readonly requestId: string,
    readonly endpoint: string,
  ) {}

  /**
   * The audit event's id. Made when first asked for (at the end of the call), not with the
   * trace: `randomUUID` returns its id as a tree of some twenty string pieces, which a stream
   * held open for minutes would otherwise keep all that time.
   */
  get eventId(): string {
    this.id ??= randomUUID();

    return this.id;
  }

  /**
   * Records one finished upstream attempt: the key it used, the provider's status (null when
   * no answer came), why it failed (null when it did not) and how long it took.
   */
  recordAttempt(attempt: AttemptDetail): void {
    this.attemptLog.push({ ...attempt, ms: Math.max(0, Math.round(attempt.ms)) });
  }

  /** The attempts recorded so far, oldest first. */
  get attemptsDetail(): readonly AttemptDetail[] {
    return this.attemptLog;
  }

  /** Notes that the first byte of the answer is on its way to the client; later calls are ignored. */
  markFirstByte(): void {
    this.firstByteAt ??= Date.now();
  }

  /** Milliseconds to the first byte sent back, or null when none was. */
  get ttftMs(): number | null {
    return this.firstByteAt === undefined ? null : this.firstByteAt - this.startedAt;
  }

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
      memberId: this.memberId,
      providerType: this.providerType,
      errorClass: this.errorClass ?? (this.status >= 400 ? errorClassOf(this.status) : null),
      attemptsDetail: [...this.attemptLog],
      ttftMs: this.ttftMs,
      traceparent: activeTraceparent(),
    };
  }
}

/** The class of a failed request from its status, when nothing more precise was recorded. */
function errorClassOf(status: number): string {
  if (status === 499) return 'client_closed';
  if (status === 429) return 'rate_limited';
  if (status === 401 || status === 403) return 'auth';
  if (status >= 500) return 'upstream';

  return 'client';
}

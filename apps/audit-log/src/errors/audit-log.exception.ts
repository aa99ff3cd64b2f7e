import { DomainException } from '@xai/common';

import { AuditLogErrorCode } from './audit-log-error-code';

/** A refused audit-log call; its message is safe to return to the caller. */
export class AuditLogException extends DomainException<AuditLogErrorCode> {
  /** Bad input: the message names the field. */
  static invalid(field: string, problem: string): AuditLogException {
    return new AuditLogException(AuditLogErrorCode.InvalidArgument, `${field}: ${problem}`);
  }

  /** A cursor this service did not issue, or one that was altered. */
  static invalidCursor(cause?: unknown): AuditLogException {
    return new AuditLogException(
      AuditLogErrorCode.InvalidCursor,
      'cursor: not a cursor returned by QueryAudit',
      { cause },
    );
  }

  /** The audit stream is not being consumed, so the trail falls behind. */
  static consumerNotRunning(): AuditLogException {
    return new AuditLogException(
      AuditLogErrorCode.ConsumerNotRunning,
      'the audit stream consumer is not running',
    );
  }
}

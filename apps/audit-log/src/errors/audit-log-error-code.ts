/** Every way an audit-log call can fail on purpose. */
export enum AuditLogErrorCode {
  InvalidArgument = 'AUDIT_INVALID_ARGUMENT',
  /** The caller did not prove it is the gateway (no or wrong service token). */
  CallerNotAllowed = 'AUDIT_CALLER_NOT_ALLOWED',
  InvalidCursor = 'AUDIT_INVALID_CURSOR',
  ConsumerNotRunning = 'AUDIT_CONSUMER_NOT_RUNNING',
}

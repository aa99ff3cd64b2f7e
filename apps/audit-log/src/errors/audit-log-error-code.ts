/** Every way an audit-log call can fail on purpose. */
export enum AuditLogErrorCode {
  InvalidArgument = 'AUDIT_INVALID_ARGUMENT',
  InvalidCursor = 'AUDIT_INVALID_CURSOR',
  ConsumerNotRunning = 'AUDIT_CONSUMER_NOT_RUNNING',
}

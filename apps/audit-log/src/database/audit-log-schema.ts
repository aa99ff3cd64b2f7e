/** The PostgreSQL schema that holds the audit-log tables; no other service reads it. */
export const AUDIT_LOG_SCHEMA = 'audit_log';

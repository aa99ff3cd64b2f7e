/**
 * The role every application write runs as (`SET LOCAL ROLE`), whatever user the service logs
 * in as. It may insert into the trail but holds no UPDATE, DELETE or TRUNCATE right on it, and
 * the trail's triggers refuse those for it as well. See docs/audit.md.
 */
export const AUDIT_WRITER_ROLE = 'xai_audit_writer';

/**
 * A transaction-local setting that only the retention job sets, and only as the login user:
 * with it the triggers let DELETE through (never for the writer role, never UPDATE/TRUNCATE).
 */
export const MAINTENANCE_SETTING = 'xai.audit_maintenance';

/** The value of {@link MAINTENANCE_SETTING} that allows retention's deletes. */
export const RETENTION_MAINTENANCE = 'retention';

/** The append-only tables of the hash-chained trail. */
export const TRAIL_TABLES = ['request_events', 'key_use_events', 'management_events'] as const;

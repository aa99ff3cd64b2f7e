import { sqlState } from '../database/sql-state';

/**
 * SQLSTATE codes with which PostgreSQL refuses an event's values themselves (a number out of
 * range, a check that fails, a value too large for an index), so retrying it can never work:
 * class 22 (data exception) and the codes below. Connection failures, deadlocks, serialisation
 * failures and the like are not among them: those are retried.
 */
const REFUSED_VALUE_CODES = new Set(['23502', '23514', '54000']);

/** Why the database refused an event's values for good, or undefined when retrying may work. */
export function valueRefusal(error: unknown): string | undefined {
  const code = sqlState(error);
  if (code === undefined || !(code.startsWith('22') || REFUSED_VALUE_CODES.has(code))) {
    return undefined;
  }
  const message = error instanceof Error ? error.message : String(error);

  return `the database refused the event (SQLSTATE ${code}): ${message.slice(0, 300)}`;
}

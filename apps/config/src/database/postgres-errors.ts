import { QueryFailedError } from 'typeorm';

/** SQLSTATE of a unique or primary-key violation. */
const UNIQUE_VIOLATION = '23505';

/** Whether `error` is PostgreSQL refusing a duplicate in `constraint` (any, when omitted). */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError: unknown = error.driverError;
  if (typeof driverError !== 'object' || driverError === null) return false;
  const { code, constraint: violated } = driverError as { code?: unknown; constraint?: unknown };

  return code === UNIQUE_VIOLATION && (constraint === undefined || violated === constraint);
}

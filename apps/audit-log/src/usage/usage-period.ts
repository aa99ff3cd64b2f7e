import { AuditLogException } from '../errors/audit-log.exception';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** The period summed when the caller gives no start. */
export const DEFAULT_PERIOD_DAYS = 30;
/** The longest period one query may sum. */
export const MAX_PERIOD_DAYS = 3_660;

/** A usage period cut into what the daily rollup answers and the hourly edges around it. */
export interface UsagePeriod {
  from: Date;
  to: Date;
  /** Whole UTC days inside the period, answered from the daily rollup; empty when none. */
  days?: { from: Date; to: Date };
  /** Hour ranges not covered by whole days, answered from the hourly rollup. */
  hours: { from: Date; to: Date }[];
}

/**
 * The period of a usage query: `from` rounded down and `to` rounded up to whole hours (UTC), so
 * each rollup row is either wholly in or wholly out. Whole days go to the daily rollup and the
 * hours at either end to the hourly one, so a year costs about 365 + 48 rows per group.
 */
export function usagePeriod(fromText: string | undefined, toText: string | undefined): UsagePeriod {
  const toInstant = toText ? parse('to', toText) : new Date();
  const to = new Date(Math.ceil(toInstant.getTime() / HOUR_MS) * HOUR_MS);
  const fromInstant = fromText
    ? parse('from', fromText)
    : new Date(to.getTime() - DEFAULT_PERIOD_DAYS * DAY_MS);
  const from = new Date(Math.floor(fromInstant.getTime() / HOUR_MS) * HOUR_MS);
  if (from >= to) throw AuditLogException.invalid('from', 'must be before to');
  if (to.getTime() - from.getTime() > MAX_PERIOD_DAYS * DAY_MS) {
    throw AuditLogException.invalid('from', `the period may span at most ${MAX_PERIOD_DAYS} days`);
  }

  const firstDay = new Date(Math.ceil(from.getTime() / DAY_MS) * DAY_MS);
  const lastDay = new Date(Math.floor(to.getTime() / DAY_MS) * DAY_MS);
  if (firstDay >= lastDay) return { from, to, hours: [{ from, to }] };

  const hours = [
    { from, to: firstDay },
    { from: lastDay, to },
  ].filter((range) => range.from < range.to);

  return { from, to, days: { from: firstDay, to: lastDay }, hours };
}

function parse(field: string, text: string): Date {
  const date = new Date(text);
  if (Number.isNaN(date.getTime()))
    throw AuditLogException.invalid(field, 'is not an ISO 8601 time');

  return date;
}

import { AuditLogException } from '../errors/audit-log.exception';
import { usagePeriod } from './usage-period';

describe('usagePeriod', () => {
  it('answers whole days from the daily rollup and the hours around them from the hourly one', () => {
    const period = usagePeriod('2025-05-01T10:30:00Z', '2025-05-04T05:10:00Z');

    expect(period.from.toISOString()).toBe('2025-05-01T10:00:00.000Z');
    expect(period.to.toISOString()).toBe('2025-05-04T06:00:00.000Z');
    expect(period.days).toEqual({
      from: new Date('2025-05-02T00:00:00Z'),
      to: new Date('2025-05-04T00:00:00Z'),
    });
    expect(period.hours).toEqual([
      { from: new Date('2025-05-01T10:00:00Z'), to: new Date('2025-05-02T00:00:00Z') },
      { from: new Date('2025-05-04T00:00:00Z'), to: new Date('2025-05-04T06:00:00Z') },
    ]);
  });

  it('uses hours only for a period within one day', () => {
    const period = usagePeriod('2025-05-01T10:00:00Z', '2025-05-01T12:00:00Z');

    expect(period.days).toBeUndefined();
    expect(period.hours).toHaveLength(1);
  });

  it('needs no hourly rows for a period of whole days', () => {
    const period = usagePeriod('2025-05-01T00:00:00Z', '2025-05-03T00:00:00Z');

    expect(period.hours).toEqual([]);
  });

  it.each([
    ['an empty period', '2025-05-02T00:00:00Z', '2025-05-01T00:00:00Z'],
    ['a bad time', 'yesterday', undefined],
    ['a period of more than ten years', '2010-01-01T00:00:00Z', '2025-01-01T00:00:00Z'],
  ])('refuses %s', (_case, from, to) => {
    expect(() => usagePeriod(from, to)).toThrow(AuditLogException);
  });
});

// The queue's deadline words: Copenhagen calendar days overdue, Danish working days ahead.
import { daysSince, deadlineLabel } from '../../apps/web/src/format/deadline';

describe('deadline label', () => {
  // Wednesday 2 December 2026, 10:00 in Copenhagen (09:00 UTC).
  const now = new Date('2026-12-02T09:00:00Z');

  it('counts calendar days overdue', () => {
    expect(deadlineLabel('2026-11-29T09:00:00Z', now)).toEqual({ key: 'overdue', count: 3, tone: 'error' });
    expect(deadlineLabel('2026-12-02T08:00:00Z', now)).toEqual({ key: 'overdueToday', count: 0, tone: 'error' });
  });

  it('says "today" for a deadline later today', () => {
    expect(deadlineLabel('2026-12-02T15:00:00Z', now)).toEqual({ key: 'today', count: 0, tone: 'warning' });
  });

  it('counts working days ahead, skipping the weekend and Christmas', () => {
    // Thu, Fri, Mon: three working days.
    expect(deadlineLabel('2026-12-07T09:00:00Z', now)).toEqual({ key: 'inWorkingDays', count: 3, tone: 'info' });
    // Thursday is one working day away: close enough to warn.
    expect(deadlineLabel('2026-12-03T09:00:00Z', now)).toEqual({ key: 'inWorkingDays', count: 1, tone: 'warning' });
    // From 22 December to 28 December: 23 Dec, then 24–27 closed or holidays, then Monday 28.
    expect(deadlineLabel('2026-12-28T09:00:00Z', new Date('2026-12-22T09:00:00Z'))).toMatchObject({ count: 2 });
  });

  it('uses the Copenhagen date, not UTC, at midnight', () => {
    // 23:30 UTC on 2 December is already 3 December in Copenhagen.
    expect(deadlineLabel('2026-12-03T23:30:00Z', new Date('2026-12-02T23:30:00Z'))).toMatchObject({
      key: 'inWorkingDays',
      count: 1,
    });
    expect(daysSince('2026-11-30T23:30:00Z', now)).toBe(1);
  });
});

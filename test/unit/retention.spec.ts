import { DEFAULT_RETENTION, parseRetention, retentionDays, reviewDueAt } from '../../libs/domain/src';

const closedAt = new Date('2026-03-01T12:00:00Z');
const facts = (over: Partial<Parameters<typeof retentionDays>[1]> = {}) => ({
  closingOutcome: 'COMPLETED',
  track: 'EXIT_KK',
  birthDate: '2000-01-01',
  closedAt,
  ...over,
});

describe('retention periods', () => {
  it('keeps an adult for the default period, whatever the track', () => {
    expect(retentionDays(DEFAULT_RETENTION, facts())).toBe(730);
    expect(retentionDays(DEFAULT_RETENTION, facts({ track: 'PREVENTION' }))).toBe(730);
  });

  it('keeps a child who was on no Exit track at closing for the shorter period', () => {
    expect(retentionDays(DEFAULT_RETENTION, facts({ birthDate: '2010-06-01', track: 'PREVENTION' }))).toBe(365);
    expect(retentionDays(DEFAULT_RETENTION, facts({ birthDate: '2010-06-01', track: null }))).toBe(365);
    // 18 the day before closing is no longer a child.
    expect(retentionDays(DEFAULT_RETENTION, facts({ birthDate: '2008-02-29', track: null }))).toBe(730);
  });

  it('uses the outcome’s own period, and the child’s when that is shorter', () => {
    const policy = parseRetention('COMPLETED:1095,DECLINED:400,CHILD_WITHOUT_EXIT:200,REVIEW:7');
    expect(retentionDays(policy, facts())).toBe(1095);
    expect(retentionDays(policy, facts({ closingOutcome: 'DECLINED', birthDate: '2011-01-01', track: null }))).toBe(
      200,
    );
    expect(policy.reviewDays).toBe(7);
    expect(reviewDueAt(policy, facts()).toISOString()).toBe('2029-02-28T12:00:00.000Z');
  });

  it.each([
    ['COMPLETED:30', /at least 31 days/],
    ['DEFAULT:abc', /KEY:days/],
    ['SOMETHING:100', /unknown key SOMETHING/],
    ['REVIEW:0', /REVIEW must be 1-365/],
  ])('refuses RETENTION_DAYS=%s', (text, message) => {
    expect(() => parseRetention(text)).toThrow(message);
  });
});

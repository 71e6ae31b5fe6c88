// Ages are taken on the Copenhagen calendar date (CET in winter, CEST in summer); expected values worked out by hand.
import { ageOn, birthdayOf, isCalendarDate } from '../../libs/domain/src/age';

const at = (iso: string): Date => new Date(iso);

describe('isCalendarDate', () => {
  it.each(['2024-02-29', '2000-02-29', '2026-01-01', '2026-12-31', '2008-11-26', '2026-04-30'])(
    'accepts %s',
    (date) => {
      expect(isCalendarDate(date)).toBe(true);
    },
  );

  it.each([
    '2023-02-29',
    '1900-02-29',
    '2026-02-30',
    '2026-04-31',
    '2026-13-01',
    '2026-00-10',
    '2026-01-00',
    '2026-01-32',
    '2026-1-1',
    '26-01-01',
    '2026/01/01',
    ' 2026-01-01',
    '2026-01-01 ',
    '2026-01-01T00:00:00Z',
    '',
    'Jens Hansen',
  ])('rejects %p', (date) => {
    expect(isCalendarDate(date)).toBe(false);
  });
});

describe('ageOn', () => {
  it.each([
    // Birthday in winter (CET = UTC+1): 26 Nov 2026 begins at 2026-11-25T23:00:00Z.
    ['2008-11-26', '2026-11-25T12:00:00Z', 17],
    ['2008-11-26', '2026-11-25T22:59:59Z', 17],
    ['2008-11-26', '2026-11-25T23:00:00Z', 18],
    ['2008-11-26', '2026-11-25T23:30:00Z', 18],
    ['2008-11-26', '2026-11-26T00:30:00Z', 18],
    ['2008-11-26', '2026-11-27T12:00:00Z', 18],
    ['2008-11-26', '2026-10-30T12:00:00Z', 17],
    ['2008-11-26', '2026-12-01T12:00:00Z', 18],
    ['2008-11-26', '2027-11-25T12:00:00Z', 18],
    ['2008-11-26', '2027-11-26T12:00:00Z', 19],
    // Birthday in summer (CEST = UTC+2): 10 Jul 2026 begins at 2026-07-09T22:00:00Z.
    ['2008-07-10', '2026-07-09T21:59:59Z', 17],
    ['2008-07-10', '2026-07-09T22:00:00Z', 18],
    // New Year's Day birthday: 23:30 UTC on 31 Dec is already 1 Jan in Copenhagen.
    ['2008-01-01', '2025-12-31T22:30:00Z', 17],
    ['2008-01-01', '2025-12-31T23:30:00Z', 18],
    // 29 February: the birthday is reached on 1 March in a non-leap year, on 29 February in a leap year.
    ['2008-02-29', '2026-02-28T12:00:00Z', 17],
    ['2008-02-29', '2026-03-01T12:00:00Z', 18],
    ['2008-02-29', '2028-02-28T12:00:00Z', 19],
    ['2008-02-29', '2028-02-29T12:00:00Z', 20],
  ])('born %s is at %s %i years old', (birthDate, instant, age) => {
    expect(ageOn(birthDate, at(instant))).toBe(age);
  });

  it('is 0 on the day of birth and before the first birthday', () => {
    expect(ageOn('2026-03-30', at('2026-03-30T12:00:00Z'))).toBe(0);
    expect(ageOn('2026-03-30', at('2027-03-29T12:00:00Z'))).toBe(0);
    expect(ageOn('2026-03-30', at('2027-03-30T12:00:00Z'))).toBe(1);
  });
});

describe('birthdayOf', () => {
  it.each([
    ['2008-11-26', 18, '2026-11-26'],
    ['2008-01-01', 18, '2026-01-01'],
    ['2008-12-31', 15, '2023-12-31'],
    ['2008-11-26', 0, '2008-11-26'],
    // 29 February birthdays: kept in leap years, 1 March otherwise (2100 is not a leap year).
    ['2008-02-29', 16, '2024-02-29'],
    ['2008-02-29', 18, '2026-03-01'],
    ['2008-02-29', 17, '2025-03-01'],
    ['2008-02-29', 92, '2100-03-01'],
    ['2004-02-29', 96, '2100-03-01'],
  ])('born %s turns %i on %s', (birthDate, years, expected) => {
    expect(birthdayOf(birthDate, years)).toBe(expected);
  });
});

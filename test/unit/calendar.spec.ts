// Expected dates below are taken from published Danish calendars, never from the module under test.
import { readFileSync } from 'fs';
import { join } from 'path';
import {
  addCalendarDays,
  addWorkingDays,
  copenhagenDate,
  danishHolidays,
  easterSunday,
  isWorkingDay,
} from '../../libs/domain/src/calendar';

const at = (iso: string): Date => new Date(iso);
const iso = (date: Date): string => date.toISOString();

describe('easterSunday', () => {
  it.each([
    [2000, '2000-04-23'],
    [2008, '2008-03-23'],
    [2011, '2011-04-24'],
    [2019, '2019-04-21'],
    [2020, '2020-04-12'],
    [2021, '2021-04-04'],
    [2022, '2022-04-17'],
    [2023, '2023-04-09'],
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
    [2038, '2038-04-25'],
    [2285, '2285-03-22'],
  ])('%i is %s', (year, expected) => {
    expect(easterSunday(year)).toBe(expected);
  });

  it.each([1582, 10000, 2024.5, NaN])('rejects year %p', (year) => {
    expect(() => easterSunday(year)).toThrow(RangeError);
  });
});

describe('danishHolidays', () => {
  it('lists 2026 completely, sorted by date', () => {
    expect(danishHolidays(2026)).toEqual([
      { date: '2026-01-01', name: 'Nytårsdag' },
      { date: '2026-04-02', name: 'Skærtorsdag' },
      { date: '2026-04-03', name: 'Langfredag' },
      { date: '2026-04-05', name: 'Påskedag' },
      { date: '2026-04-06', name: '2. påskedag' },
      { date: '2026-05-14', name: 'Kristi himmelfartsdag' },
      { date: '2026-05-24', name: 'Pinsedag' },
      { date: '2026-05-25', name: '2. pinsedag' },
      { date: '2026-06-05', name: 'Grundlovsdag' },
      { date: '2026-12-24', name: 'Juleaftensdag' },
      { date: '2026-12-25', name: 'Juledag' },
      { date: '2026-12-26', name: '2. juledag' },
      { date: '2026-12-31', name: 'Nytårsaftensdag' },
    ]);
  });

  it('includes store bededag in 2023', () => {
    expect(danishHolidays(2023).map((h) => h.date)).toEqual([
      '2023-01-01',
      '2023-04-06',
      '2023-04-07',
      '2023-04-09',
      '2023-04-10',
      '2023-05-05',
      '2023-05-18',
      '2023-05-28',
      '2023-05-29',
      '2023-06-05',
      '2023-12-24',
      '2023-12-25',
      '2023-12-26',
      '2023-12-31',
    ]);
    expect(danishHolidays(2023)).toContainEqual({ date: '2023-05-05', name: 'Store bededag' });
  });

  it('has no store bededag from 2024, when it was abolished', () => {
    const holidays2024 = danishHolidays(2024);
    expect(holidays2024.map((h) => h.name)).not.toContain('Store bededag');
    expect(holidays2024.map((h) => h.date)).toEqual([
      '2024-01-01',
      '2024-03-28',
      '2024-03-29',
      '2024-03-31',
      '2024-04-01',
      '2024-05-09',
      '2024-05-19',
      '2024-05-20',
      '2024-06-05',
      '2024-12-24',
      '2024-12-25',
      '2024-12-26',
      '2024-12-31',
    ]);
    expect(danishHolidays(2025).map((h) => h.name)).not.toContain('Store bededag');
  });

  it('sorts the moveable feasts of 2025 around grundlovsdag', () => {
    expect(danishHolidays(2025).slice(1, 9)).toEqual([
      { date: '2025-04-17', name: 'Skærtorsdag' },
      { date: '2025-04-18', name: 'Langfredag' },
      { date: '2025-04-20', name: 'Påskedag' },
      { date: '2025-04-21', name: '2. påskedag' },
      { date: '2025-05-29', name: 'Kristi himmelfartsdag' },
      { date: '2025-06-05', name: 'Grundlovsdag' },
      { date: '2025-06-08', name: 'Pinsedag' },
      { date: '2025-06-09', name: '2. pinsedag' },
    ]);
  });

  it('keeps both names when pinsedag falls on grundlovsdag (2022)', () => {
    expect(danishHolidays(2022).filter((h) => h.date === '2022-06-05')).toEqual([
      { date: '2022-06-05', name: 'Pinsedag' },
      { date: '2022-06-05', name: 'Grundlovsdag' },
    ]);
  });

  it('omits closing days that are switched off, keeping the others', () => {
    const names = (options: Parameters<typeof danishHolidays>[1]): string[] =>
      danishHolidays(2026, options).map((h) => h.name);
    expect(names({ closingDays: { christmasEve: false } })).toEqual(
      expect.arrayContaining(['Grundlovsdag', 'Nytårsaftensdag']),
    );
    expect(names({ closingDays: { christmasEve: false } })).not.toContain('Juleaftensdag');
    expect(names({ closingDays: { constitutionDay: false } })).not.toContain('Grundlovsdag');
    expect(names({ closingDays: { newYearsEve: false } })).not.toContain('Nytårsaftensdag');
    expect(
      danishHolidays(2026, { closingDays: { constitutionDay: false, christmasEve: false, newYearsEve: false } }),
    ).toHaveLength(10);
    expect(danishHolidays(2026, {})).toHaveLength(13);
    expect(danishHolidays(2026, { closingDays: {} })).toHaveLength(13);
  });
});

describe('isWorkingDay', () => {
  it.each([
    ['2026-04-01', true], // Wednesday before Easter
    ['2026-04-02', false], // skærtorsdag
    ['2026-04-03', false], // langfredag
    ['2026-04-06', false], // 2. påskedag
    ['2026-04-07', true],
    ['2026-05-14', false], // Kristi himmelfartsdag
    ['2026-05-15', true], // the Friday after is customary but not a holiday
    ['2026-05-25', false], // 2. pinsedag
    ['2023-05-05', false], // store bededag
    ['2024-04-26', true], // would have been store bededag
    ['2026-01-01', false],
    ['2026-01-02', true],
    ['2026-01-09', true], // Friday
    ['2026-01-10', false], // Saturday
    ['2026-01-11', false], // Sunday
    ['2026-01-12', true], // Monday
    ['2026-12-25', false],
    ['2024-02-29', true],
  ])('%s is a working day: %p', (date, expected) => {
    expect(isWorkingDay(date)).toBe(expected);
  });

  it('treats grundlovsdag, juleaftensdag and nytårsaftensdag as closed unless configured otherwise', () => {
    // 2026-06-05, -12-24 and -12-31 are a Friday and two Thursdays.
    for (const date of ['2026-06-05', '2026-12-24', '2026-12-31']) {
      expect(isWorkingDay(date)).toBe(false);
      expect(
        isWorkingDay(date, { closingDays: { constitutionDay: true, christmasEve: true, newYearsEve: true } }),
      ).toBe(false);
    }
    expect(isWorkingDay('2026-06-05', { closingDays: { constitutionDay: false } })).toBe(true);
    expect(isWorkingDay('2026-12-24', { closingDays: { constitutionDay: false } })).toBe(false);
    expect(isWorkingDay('2026-12-24', { closingDays: { christmasEve: false } })).toBe(true);
    expect(isWorkingDay('2026-12-31', { closingDays: { christmasEve: false } })).toBe(false);
    expect(isWorkingDay('2026-12-31', { closingDays: { newYearsEve: false } })).toBe(true);
  });

  it('keeps a public holiday that coincides with a disabled closing day (2. pinsedag on 2017-06-05)', () => {
    expect(isWorkingDay('2017-06-05', { closingDays: { constitutionDay: false } })).toBe(false);
  });

  it('does not make a closing day on a weekend a working day', () => {
    // 2027-06-05 is a Saturday.
    expect(isWorkingDay('2027-06-05', { closingDays: { constitutionDay: false } })).toBe(false);
  });

  it.each(['2026-02-29', '2026-13-01', '2026-00-10', '2026-4-1', '2026-04-01T00:00:00Z', ''])('rejects %p', (date) => {
    expect(() => isWorkingDay(date)).toThrow(RangeError);
  });
});

describe('copenhagenDate', () => {
  it.each([
    ['2026-01-09T22:59:59.999Z', '2026-01-09'], // 23:59:59.999 CET
    ['2026-01-09T23:00:00.000Z', '2026-01-10'], // 00:00 CET
    ['2026-06-30T21:59:59.999Z', '2026-06-30'], // 23:59:59.999 CEST
    ['2026-06-30T22:00:00.000Z', '2026-07-01'], // 00:00 CEST
    ['2026-12-31T22:59:59.999Z', '2026-12-31'],
    ['2026-12-31T23:00:00.000Z', '2027-01-01'],
    ['2024-02-28T23:30:00.000Z', '2024-02-29'],
    // Summer time starts 2026-03-29 01:00 UTC and ends 2026-10-25 01:00 UTC.
    ['2026-03-28T22:59:59.999Z', '2026-03-28'],
    ['2026-03-28T23:00:00.000Z', '2026-03-29'],
    ['2026-10-25T21:59:59.999Z', '2026-10-25'], // 22:59 CET
    ['2026-10-25T23:00:00.000Z', '2026-10-26'],
    ['2026-10-24T22:00:00.000Z', '2026-10-25'], // 00:00 CEST
  ])('%s is %s in Copenhagen', (instant, expected) => {
    expect(copenhagenDate(at(instant))).toBe(expected);
  });

  it('rejects an invalid Date', () => {
    expect(() => copenhagenDate(new Date(NaN))).toThrow(RangeError);
  });
});

describe('addWorkingDays', () => {
  it('returns the same instant for zero days, even on a weekend', () => {
    const saturday = at('2026-01-10T09:00:00Z');
    expect(iso(addWorkingDays(saturday, 0))).toBe('2026-01-10T09:00:00.000Z');
  });

  it('steps over a weekend keeping the wall-clock time', () => {
    // Friday 2026-01-09 10:00 CET
    expect(iso(addWorkingDays(at('2026-01-09T09:00:00Z'), 1))).toBe('2026-01-12T09:00:00.000Z');
    expect(iso(addWorkingDays(at('2026-01-09T09:00:00Z'), 5))).toBe('2026-01-16T09:00:00.000Z');
    expect(iso(addWorkingDays(at('2026-01-09T09:00:00Z'), 6))).toBe('2026-01-19T09:00:00.000Z');
  });

  it('counts from a weekend start as the working days strictly after the start date', () => {
    // Saturday and Sunday 2026-01-10/11 10:00 CET: 1 working day is Monday 10:00.
    expect(iso(addWorkingDays(at('2026-01-10T09:00:00Z'), 1))).toBe('2026-01-12T09:00:00.000Z');
    expect(iso(addWorkingDays(at('2026-01-11T09:00:00Z'), 1))).toBe('2026-01-12T09:00:00.000Z');
    expect(iso(addWorkingDays(at('2026-01-10T09:00:00Z'), 2))).toBe('2026-01-13T09:00:00.000Z');
    // Saturday 2026-04-04 10:00 CEST, Monday is 2. påskedag: Tuesday 10:00.
    expect(iso(addWorkingDays(at('2026-04-04T08:00:00Z'), 1))).toBe('2026-04-07T08:00:00.000Z');
  });

  it('uses the Copenhagen date, not the UTC date, of the start', () => {
    // 2026-01-09T23:30Z is Saturday 00:30 in Copenhagen; Monday 00:30 CET is Sunday 23:30 UTC.
    expect(iso(addWorkingDays(at('2026-01-09T23:30:00Z'), 1))).toBe('2026-01-11T23:30:00.000Z');
    // Friday 23:30 CET is still Friday: the next working day is Monday.
    expect(iso(addWorkingDays(at('2026-01-09T22:30:00Z'), 1))).toBe('2026-01-12T22:30:00.000Z');
  });

  it('skips Easter 2026', () => {
    // Wednesday 2026-04-01 10:00 CEST; Thu-Mon are holidays or weekend.
    expect(iso(addWorkingDays(at('2026-04-01T08:00:00Z'), 1))).toBe('2026-04-07T08:00:00.000Z');
    // From langfredag itself.
    expect(iso(addWorkingDays(at('2026-04-03T08:00:00Z'), 1))).toBe('2026-04-07T08:00:00.000Z');
    // Tuesday 2026-03-31 10:00 CEST + 3: Wed 1 Apr, Tue 7 Apr, Wed 8 Apr.
    expect(iso(addWorkingDays(at('2026-03-31T08:00:00Z'), 3))).toBe('2026-04-08T08:00:00.000Z');
  });

  it('skips store bededag only before 2024', () => {
    // Thursday 2023-05-04 10:00 CEST -> Monday 2023-05-08 (Friday 5 May was store bededag).
    expect(iso(addWorkingDays(at('2023-05-04T08:00:00Z'), 1))).toBe('2023-05-08T08:00:00.000Z');
    // Thursday 2024-04-25 10:00 CEST -> Friday 2024-04-26.
    expect(iso(addWorkingDays(at('2024-04-25T08:00:00Z'), 1))).toBe('2024-04-26T08:00:00.000Z');
  });

  it('skips Christmas and New Year 2025/26, honouring the closing-day options', () => {
    // Tuesday 2025-12-23 09:00 CET. Working days after it: Mon 29, Tue 30 Dec, Fri 2 Jan.
    const tuesday = at('2025-12-23T08:00:00Z');
    expect(iso(addWorkingDays(tuesday, 1))).toBe('2025-12-29T08:00:00.000Z');
    expect(iso(addWorkingDays(tuesday, 3))).toBe('2026-01-02T08:00:00.000Z');
    expect(iso(addWorkingDays(tuesday, 4))).toBe('2026-01-05T08:00:00.000Z');

    const open = { closingDays: { christmasEve: false, newYearsEve: false } };
    expect(iso(addWorkingDays(tuesday, 1, open))).toBe('2025-12-24T08:00:00.000Z');
    expect(iso(addWorkingDays(tuesday, 4, open))).toBe('2025-12-31T08:00:00.000Z');
    expect(iso(addWorkingDays(tuesday, 5, open))).toBe('2026-01-02T08:00:00.000Z');

    const onlyEveOpen = { closingDays: { christmasEve: false } };
    expect(iso(addWorkingDays(tuesday, 4, onlyEveOpen))).toBe('2026-01-02T08:00:00.000Z');
  });

  it('skips grundlovsdag unless configured as open', () => {
    // Thursday 2026-06-04 10:00 CEST; Friday 5 June is grundlovsdag.
    expect(iso(addWorkingDays(at('2026-06-04T08:00:00Z'), 1))).toBe('2026-06-08T08:00:00.000Z');
    expect(iso(addWorkingDays(at('2026-06-04T08:00:00Z'), 1, { closingDays: { constitutionDay: false } }))).toBe(
      '2026-06-05T08:00:00.000Z',
    );
  });

  it('keeps the wall-clock time across the start of summer time', () => {
    // Friday 2026-03-27 09:00 CET -> Monday 2026-03-30 09:00 CEST.
    expect(iso(addWorkingDays(at('2026-03-27T08:00:00Z'), 1))).toBe('2026-03-30T07:00:00.000Z');
  });

  it('keeps the wall-clock time across the end of summer time', () => {
    // Friday 2026-10-23 09:00 CEST -> Monday 2026-10-26 09:00 CET.
    expect(iso(addWorkingDays(at('2026-10-23T07:00:00Z'), 1))).toBe('2026-10-26T08:00:00.000Z');
    // Friday 2027-10-29 16:45 CEST -> Monday 2027-11-01 16:45 CET (summer time ends on the 31st).
    expect(iso(addWorkingDays(at('2027-10-29T14:45:00Z'), 1))).toBe('2027-11-01T15:45:00.000Z');
  });

  it('counts a long span over a year boundary', () => {
    // Monday 2026-11-30 12:00 CET + 20 working days. December 2026 working days after the 30th:
    // 1-4, 7-11, 14-18, 21-23 (17 days), 28-30 (20 days) -> Wednesday 2026-12-30.
    expect(iso(addWorkingDays(at('2026-11-30T11:00:00Z'), 20))).toBe('2026-12-30T11:00:00.000Z');
    // The 21st skips nytårsaftensdag (Thu), nytårsdag (Fri) and the weekend: Monday 2027-01-04.
    expect(iso(addWorkingDays(at('2026-11-30T11:00:00Z'), 21))).toBe('2027-01-04T11:00:00.000Z');
  });

  it('does not mutate its argument', () => {
    const from = at('2026-01-09T09:00:00Z');
    addWorkingDays(from, 3);
    expect(iso(from)).toBe('2026-01-09T09:00:00.000Z');
  });

  it.each([-1, 1.5, NaN, Infinity])('rejects %p working days', (days) => {
    expect(() => addWorkingDays(at('2026-01-09T09:00:00Z'), days)).toThrow(RangeError);
  });

  it('rejects an invalid Date', () => {
    expect(() => addWorkingDays(new Date(NaN), 1)).toThrow(RangeError);
  });
});

describe('addCalendarDays', () => {
  it.each([
    // Spring forward: 2026-03-28 12:00 CET -> 2026-03-29 12:00 CEST (23 h later).
    ['2026-03-28T11:00:00Z', 1, '2026-03-29T10:00:00.000Z'],
    // Fall back: 2026-10-24 12:00 CEST -> 2026-10-25 12:00 CET (25 h later).
    ['2026-10-24T10:00:00Z', 1, '2026-10-25T11:00:00.000Z'],
    // Backwards over the spring change.
    ['2026-03-30T10:00:00Z', -2, '2026-03-28T11:00:00.000Z'],
    // 2024: summer time starts on Easter Sunday 31 March.
    ['2024-03-30T11:00:00Z', 1, '2024-03-31T10:00:00.000Z'],
    // 2027: summer time ends on 31 October, the last day of the month.
    ['2027-10-30T10:00:00Z', 1, '2027-10-31T11:00:00.000Z'],
    ['2027-10-23T10:00:00Z', 7, '2027-10-30T10:00:00.000Z'],
    // Month, year and leap-day boundaries, in Copenhagen time.
    ['2025-12-31T12:00:00Z', 1, '2026-01-01T12:00:00.000Z'],
    ['2024-02-28T12:00:00Z', 1, '2024-02-29T12:00:00.000Z'],
    ['2023-02-28T12:00:00Z', 1, '2023-03-01T12:00:00.000Z'],
    ['2026-01-09T23:30:00Z', 1, '2026-01-10T23:30:00.000Z'],
    // Exactly at the transitions (01:00 UTC): the instant already has the new offset.
    ['2026-03-29T00:59:59.999Z', 1, '2026-03-29T23:59:59.999Z'], // 01:59:59.999 CET -> CEST
    ['2026-03-29T01:00:00.000Z', -1, '2026-03-28T02:00:00.000Z'], // 03:00 CEST -> CET
    ['2026-10-25T00:59:59.999Z', -1, '2026-10-24T00:59:59.999Z'], // first 02:59:59.999 (CEST)
    ['2026-10-25T01:00:00.000Z', 1, '2026-10-26T01:00:00.000Z'], // second 02:00 (CET)
    // A whole summer: 2026-03-01 08:00 CET -> 2026-11-01 08:00 CET.
    ['2026-03-01T07:00:00Z', 245, '2026-11-01T07:00:00.000Z'],
  ])('%s + %i days is %s', (from, days, expected) => {
    expect(iso(addCalendarDays(at(from), days))).toBe(expected);
  });

  it('moves a wall-clock time skipped by spring-forward to the next hour', () => {
    // 2026-03-28 02:30 CET; 02:30 does not exist on 29 March, so 03:30 CEST.
    expect(iso(addCalendarDays(at('2026-03-28T01:30:00Z'), 1))).toBe('2026-03-29T01:30:00.000Z');
  });

  it('resolves a wall-clock time repeated by fall-back to its first (summer time) occurrence', () => {
    // 2026-10-24 02:30 CEST -> 2026-10-25 02:30 CEST, the earlier of the two 02:30s.
    expect(iso(addCalendarDays(at('2026-10-24T00:30:00Z'), 1))).toBe('2026-10-25T00:30:00.000Z');
    // 2026-10-26 02:30 CET -> also the first 02:30 on 25 October.
    expect(iso(addCalendarDays(at('2026-10-26T01:30:00Z'), -1))).toBe('2026-10-25T00:30:00.000Z');
  });

  it('returns the same instant for zero days, even during the repeated hour', () => {
    // 2026-10-25 02:30 CET, the second 02:30.
    expect(iso(addCalendarDays(at('2026-10-25T01:30:00Z'), 0))).toBe('2026-10-25T01:30:00.000Z');
  });

  it.each([0.5, NaN])('rejects %p days', (days) => {
    expect(() => addCalendarDays(at('2026-01-09T09:00:00Z'), days)).toThrow(RangeError);
  });
});

describe('workflow determinism', () => {
  // Temporal replays workflows, so the module must not read the clock, the host time zone or locale data.
  const source = readFileSync(join(__dirname, '../../libs/domain/src/calendar.ts'), 'utf8');
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');

  it.each([
    ['imports', /\bimport\b|\brequire\s*\(/],
    ['Intl', /\bIntl\b/],
    ['Date.now', /Date\.now/],
    ['argument-less new Date', /new Date\(\s*\)/],
    ['host-time-zone getters', /\.(get|set)(?!UTC|Time\b)[A-Z]\w*\(/],
    ['toLocale*', /toLocale/],
    ['getTimezoneOffset', /getTimezoneOffset/],
    ['Math.random', /Math\.random/],
    ['decorators', /^\s*@\w+/m],
    ['process', /\bprocess\./],
  ])('uses no %s', (_label, pattern) => {
    expect(code).not.toMatch(pattern);
  });

  it('gives the same answers whatever the host time zone', () => {
    const before = process.env.TZ;
    try {
      process.env.TZ = 'America/Los_Angeles';
      expect(copenhagenDate(at('2026-01-09T23:30:00Z'))).toBe('2026-01-10');
      expect(iso(addWorkingDays(at('2026-03-27T08:00:00Z'), 1))).toBe('2026-03-30T07:00:00.000Z');
    } finally {
      if (before === undefined) {
        delete process.env.TZ;
      } else {
        process.env.TZ = before;
      }
    }
  });
});

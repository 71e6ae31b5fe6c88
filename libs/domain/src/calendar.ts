// Danish working-day calendar for deadlines, imported by Temporal workflow code, so it must stay deterministic:
// plain integer date arithmetic, no Intl, no system clock or time zone database, and no imports.

export interface ClosingDays {
  /** Grundlovsdag, 5 June. */
  constitutionDay: boolean;
  /** Juleaftensdag, 24 December. */
  christmasEve: boolean;
  /** Nytårsaftensdag, 31 December. */
  newYearsEve: boolean;
}

export interface CalendarOptions {
  /** Days that are not public holidays but on which offices are customarily closed; each defaults to true. */
  closingDays?: Partial<ClosingDays>;
}

export interface Holiday {
  /** YYYY-MM-DD */
  date: string;
  /** Danish name, e.g. 'Skærtorsdag'. */
  name: string;
}

const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;
// Store bededag was abolished as a public holiday by law from 2024 onwards.
const LAST_YEAR_WITH_GREAT_PRAYER_DAY = 2023;
// Before 1583 the Gregorian computus is meaningless; four-digit years keep the YYYY-MM-DD format unambiguous.
const MIN_YEAR = 1583;
const MAX_YEAR = 9999;

interface CivilDate {
  year: number;
  month: number;
  day: number;
}

// Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's algorithm). Avoids Date.UTC, which
// remaps years 0-99 and would tempt callers towards the host's local time zone.
function daysFromCivil({ year, month, day }: CivilDate): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function civilFromDays(days: number): CivilDate {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** 0 = Sunday ... 6 = Saturday; 1970-01-01 was a Thursday. */
function weekday(days: number): number {
  return (((days + 4) % 7) + 7) % 7;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function formatDays(days: number): string {
  const { year, month, day } = civilFromDays(days);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

function parseDate(date: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (match) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    if (month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)) {
      return daysFromCivil({ year, month, day });
    }
  }
  throw new RangeError(`Expected a calendar date as YYYY-MM-DD, got '${date}'`);
}

function assertYear(year: number): void {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) {
    throw new RangeError(`Year must be an integer from ${MIN_YEAR} to ${MAX_YEAR}, got ${year}`);
  }
}

function instantMs(instant: Date): number {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) {
    throw new RangeError('Invalid Date');
  }
  return ms;
}

function lastSundayOf(year: number, month: number): number {
  const last = daysFromCivil({ year, month, day: daysInMonth(year, month) });
  return last - weekday(last);
}

// EU summer time rule (in force in Denmark since 1996; earlier years are not corrected for). The year is
// taken in UTC, which is safe because both transitions are months away from a year boundary.
function copenhagenOffsetMs(utcMs: number): number {
  const { year } = civilFromDays(Math.floor(utcMs / MS_PER_DAY));
  const summerStart = lastSundayOf(year, 3) * MS_PER_DAY + MS_PER_HOUR;
  const summerEnd = lastSundayOf(year, 10) * MS_PER_DAY + MS_PER_HOUR;
  return utcMs >= summerStart && utcMs < summerEnd ? 2 * MS_PER_HOUR : MS_PER_HOUR;
}

/** Milliseconds since the epoch as if Copenhagen wall-clock time were UTC. */
function toWallClockMs(utcMs: number): number {
  return utcMs + copenhagenOffsetMs(utcMs);
}

// The inverse is not a function around the transitions; we follow the usual "compatible" disambiguation
// (as in java.time and the TC39 Temporal proposal): a wall-clock time skipped in spring is moved forward by
// the hour of the gap, and a time repeated in autumn resolves to its first (summer time) occurrence.
function fromWallClockMs(wallMs: number): number {
  const summer = wallMs - 2 * MS_PER_HOUR;
  if (copenhagenOffsetMs(summer) === 2 * MS_PER_HOUR) {
    return summer;
  }
  return wallMs - MS_PER_HOUR;
}

function moveToCopenhagenDate(utcMs: number, targetDays: number): Date {
  const wallMs = toWallClockMs(utcMs);
  const timeOfDay = wallMs - Math.floor(wallMs / MS_PER_DAY) * MS_PER_DAY;
  return new Date(fromWallClockMs(targetDays * MS_PER_DAY + timeOfDay));
}

function copenhagenDays(utcMs: number): number {
  return Math.floor(toWallClockMs(utcMs) / MS_PER_DAY);
}

/** Easter Sunday (YYYY-MM-DD) by the anonymous Gregorian computus (Meeus/Jones/Butcher). */
export function easterSunday(year: number): string {
  assertYear(year);
  return formatDays(easterSundayDays(year));
}

function easterSundayDays(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return daysFromCivil({ year, month, day });
}

function resolveClosingDays(options?: CalendarOptions): ClosingDays {
  const closing = options?.closingDays ?? {};
  return {
    constitutionDay: closing.constitutionDay ?? true,
    christmasEve: closing.christmasEve ?? true,
    newYearsEve: closing.newYearsEve ?? true,
  };
}

function holidayDays(year: number, closing: ClosingDays): { days: number; name: string }[] {
  const easter = easterSundayDays(year);
  const fixed = (month: number, day: number): number => daysFromCivil({ year, month, day });
  const list: { days: number; name: string }[] = [
    { days: fixed(1, 1), name: 'Nytårsdag' },
    { days: easter - 3, name: 'Skærtorsdag' },
    { days: easter - 2, name: 'Langfredag' },
    { days: easter, name: 'Påskedag' },
    { days: easter + 1, name: '2. påskedag' },
  ];
  if (year <= LAST_YEAR_WITH_GREAT_PRAYER_DAY) {
    list.push({ days: easter + 26, name: 'Store bededag' });
  }
  list.push(
    { days: easter + 39, name: 'Kristi himmelfartsdag' },
    { days: easter + 49, name: 'Pinsedag' },
    { days: easter + 50, name: '2. pinsedag' },
  );
  if (closing.constitutionDay) {
    list.push({ days: fixed(6, 5), name: 'Grundlovsdag' });
  }
  if (closing.christmasEve) {
    list.push({ days: fixed(12, 24), name: 'Juleaftensdag' });
  }
  list.push({ days: fixed(12, 25), name: 'Juledag' }, { days: fixed(12, 26), name: '2. juledag' });
  if (closing.newYearsEve) {
    list.push({ days: fixed(12, 31), name: 'Nytårsaftensdag' });
  }
  // Stable sort: when two holidays share a date (pinse and grundlovsdag can), both are kept.
  return list.sort((x, y) => x.days - y.days);
}

/**
 * Public holidays and the configured closing days of a year, sorted by date. A date can appear twice
 * (e.g. 2022-06-05 is both pinsedag and grundlovsdag) so that each name is reported.
 */
export function danishHolidays(year: number, options?: CalendarOptions): Holiday[] {
  assertYear(year);
  return holidayDays(year, resolveClosingDays(options)).map(({ days, name }) => ({ date: formatDays(days), name }));
}

// Looking up one year at a time keeps addWorkingDays linear without module-level caches, which would be
// state shared between workflow runs.
function workingDayPredicate(options?: CalendarOptions): (days: number) => boolean {
  const closing = resolveClosingDays(options);
  const byYear = new Map<number, Set<number>>();
  return (days) => {
    const dow = weekday(days);
    if (dow === 0 || dow === 6) {
      return false;
    }
    const { year } = civilFromDays(days);
    let holidays = byYear.get(year);
    if (!holidays) {
      assertYear(year);
      holidays = new Set(holidayDays(year, closing).map((h) => h.days));
      byYear.set(year, holidays);
    }
    return !holidays.has(days);
  };
}

/** Whether a Copenhagen calendar date (YYYY-MM-DD) is a weekday that is neither a holiday nor a closing day. */
export function isWorkingDay(date: string, options?: CalendarOptions): boolean {
  return workingDayPredicate(options)(parseDate(date));
}

/** The Europe/Copenhagen calendar date (YYYY-MM-DD) of an instant. */
export function copenhagenDate(instant: Date): string {
  return formatDays(copenhagenDays(instantMs(instant)));
}

/**
 * The instant at the same Copenhagen wall-clock time as `from`, on the `days`-th working day strictly after
 * `from`'s Copenhagen date. The start date itself never counts, working or not, so one working day from
 * Friday 10:00 and from Saturday 10:00 are both Monday 10:00 (Tuesday if Monday is a holiday).
 * `days` = 0 returns the same instant, even on a non-working day. Negative or fractional counts are a
 * RangeError: counting backwards has no agreed meaning for deadlines.
 */
export function addWorkingDays(from: Date, days: number, options?: CalendarOptions): Date {
  const utcMs = instantMs(from);
  if (!Number.isInteger(days) || days < 0) {
    throw new RangeError(`Working days must be a non-negative integer, got ${days}`);
  }
  if (days === 0) {
    return new Date(utcMs);
  }
  const isWorking = workingDayPredicate(options);
  let current = copenhagenDays(utcMs);
  for (let remaining = days; remaining > 0;) {
    current += 1;
    if (isWorking(current)) {
      remaining -= 1;
    }
  }
  return moveToCopenhagenDate(utcMs, current);
}

/**
 * The instant at the same Copenhagen wall-clock time `days` calendar days later (earlier if negative), so
 * across a DST change the elapsed time is 23 or 25 hours. Wall-clock times that do not exist or are repeated
 * on the target date are resolved as described at fromWallClockMs.
 */
export function addCalendarDays(from: Date, days: number): Date {
  const utcMs = instantMs(from);
  if (!Number.isInteger(days)) {
    throw new RangeError(`Calendar days must be an integer, got ${days}`);
  }
  if (days === 0) {
    return new Date(utcMs);
  }
  return moveToCopenhagenDate(utcMs, copenhagenDays(utcMs) + days);
}

/** The instant of a Copenhagen wall-clock time on a calendar date (YYYY-MM-DD). */
export function copenhagenTime(date: string, hour: number, minute = 0): Date {
  if (!Number.isInteger(hour) || hour < 0 || hour > 23 || !Number.isInteger(minute) || minute < 0 || minute > 59) {
    throw new RangeError('hour must be 0-23 and minute 0-59');
  }
  return new Date(fromWallClockMs(parseDate(date) * MS_PER_DAY + hour * MS_PER_HOUR + minute * 60_000));
}

// Age in whole years on a Copenhagen calendar date; the 18th birthday moves responsibility between agencies.
import { copenhagenDate } from './calendar';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Majority (myndighedsalder): Exit KK, the national Exit programme and adult agencies start here. */
export const ADULT_AGE = 18;

/** True when `value` is a real calendar date written YYYY-MM-DD. */
export function isCalendarDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  return probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
}

export function ageOn(birthDate: string, instant: Date): number {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [y, m, d] = copenhagenDate(instant).split('-').map(Number);
  const hadBirthday = m > bm || (m === bm && d >= bd);
  return y - by - (hadBirthday ? 0 : 1);
}

/** A calendar date `months` earlier (a day past the shorter month's end falls on its last day). */
export function monthsBefore(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const first = new Date(Date.UTC(y, m - 1 - months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, last));
  return first.toISOString().slice(0, 10);
}

/** The date a person turns `years` old; 29 February birthdays fall on 1 March in non-leap years. */
export function birthdayOf(birthDate: string, years: number): string {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const probe = new Date(Date.UTC(by + years, bm - 1, bd));
  return probe.toISOString().slice(0, 10);
}

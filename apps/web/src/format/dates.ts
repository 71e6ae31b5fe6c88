// Dates as Danish dates, times in Europe/Copenhagen whatever the browser's own zone is.
import { copenhagenTime } from '../../../../libs/domain/src/calendar';
const ZONE = 'Europe/Copenhagen';

function locale(language: string): string {
  return language === 'en' ? 'en-GB' : 'da-DK';
}

/** "3. dec. 2026" */
export function formatDate(instant: string | Date, language = 'da'): string {
  return new Intl.DateTimeFormat(locale(language), {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: ZONE,
  }).format(new Date(instant));
}

/** A calendar date (YYYY-MM-DD) such as a birth date, which has no time zone: "17. maj 2010". */
export function formatCalendarDate(date: string, language = 'da'): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Intl.DateTimeFormat(locale(language), {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** "3. dec. 2026 kl. 09.00" */
export function formatDateTime(instant: string | Date, language = 'da'): string {
  return new Intl.DateTimeFormat(locale(language), {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: ZONE,
  }).format(new Date(instant));
}

/**
 * A date typed the Danish way ("17.05.2010", "17-5-2010", "17/5 2010") as YYYY-MM-DD; undefined when it is not a real
 * date. ISO (2010-05-17) is taken as well, since some people paste it.
 */
export function parseDanishDate(text: string): string | undefined {
  const trimmed = text.trim();
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(trimmed);
  const danish = /^(\d{1,2})[.\-/ ](\d{1,2})[.\-/ ](\d{4})$/.exec(trimmed);
  const [y, m, d] = iso
    ? [iso[1], iso[2], iso[3]].map(Number)
    : danish
      ? [danish[3], danish[2], danish[1]].map(Number)
      : [NaN, NaN, NaN];
  const probe = new Date(Date.UTC(y, m - 1, d));
  if (!Number.isFinite(y) || probe.getUTCFullYear() !== y || probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d)
    return undefined;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** YYYY-MM-DD written the Danish way for a form field: "17.05.2010". */
export function danishDateInput(date: string): string {
  const [y, m, d] = date.split('-');
  return `${d}.${m}.${y}`;
}

/** A clock time "9.30", "09:30" or "0930" as hours and minutes; undefined when it is not one. */
export function parseClockTime(text: string): { hour: number; minute: number } | undefined {
  const match = /^(\d{1,2})[.:]?(\d{2})$/.exec(text.trim());
  if (!match) return undefined;
  const [hour, minute] = [Number(match[1]), Number(match[2])];
  return hour <= 23 && minute <= 59 ? { hour, minute } : undefined;
}

/** The instant of a Copenhagen wall-clock date and time, as ISO 8601 UTC. */
export function copenhagenInstant(date: string, hour: number, minute: number): string {
  return copenhagenTime(date, hour, minute).toISOString();
}

/** Today's date and the time now in Copenhagen, for a form's defaults: ["06.12.2026", "09.30"]. */
export function copenhagenNow(now = new Date()): [string, string] {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('da-DK', {
      timeZone: ZONE,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  return [`${parts.day}.${parts.month}.${parts.year}`, `${parts.hour}.${parts.minute}`];
}

// Dates as Danish dates, times in Europe/Copenhagen whatever the browser's own zone is.
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

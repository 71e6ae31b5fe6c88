// Keyset cursors: the sort key of a page's last row, tagged with the list it belongs to, as base64url JSON. A
// cursor from one list handed to another, or a forged one, decodes to nothing.
import { hasUnstorable, isUuid } from '../../domain/src';

export function encodeCursor(tag: string, key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify([tag, ...key])).toString('base64url');
}

/** The key parts, when `text` is a cursor of this list with `length` parts; each list checks their types. */
export function decodeCursor(text: string, tag: string, length: number): unknown[] | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== length + 1 || value[0] !== tag) return undefined;
    if (value.some((part) => typeof part === 'string' && hasUnstorable(part))) return undefined;
    return value.slice(1);
  } catch {
    return undefined;
  }
}

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?(Z|[+-](0\d|1[0-4])(:[0-5]\d)?)$/;

/**
 * An instant as a cursor carries it: ISO 8601 (`toISOString`, or with microseconds) or PostgreSQL's own text form,
 * on a real calendar day of the years 1001–9998, with an offset a time zone can have (up to ±14:59). Anything
 * PostgreSQL could refuse to cast is refused here.
 */
export function isCursorInstant(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = INSTANT.exec(value);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    year > 1000 &&
    year < 9999 &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    hour < 24 &&
    minute < 60 &&
    second < 60
  );
}

export function isCursorId(value: unknown): value is string {
  return typeof value === 'string' && isUuid(value);
}

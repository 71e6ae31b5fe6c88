// Finding people without reading their names: the search terms a person's name and birth date give (each name word,
// the full name, the birth date), normalised so that spellings of one name meet, and the birth dates a typing slip
// would give. The terms are hashed with a keyed HMAC before they are stored or compared
// (libs/persistence/src/person-search.ts); this file only says which terms there are. Pure: no crypto here.
import { isCalendarDate } from './age';

/** A search term's kind: its hash covers the kind, so a word never matches a full name or a date. */
export type SearchTermKind = 'word' | 'name' | 'birth';

export interface SearchTerm {
  kind: SearchTermKind;
  value: string;
}

/**
 * A name as the index sees it: lower case; æ, ø, å written ae, oe, aa (so "Søren Aabenraa" meets "Soeren Åbenrå"),
 * ä and ö as their Danish letters (ae, oe), every other accent dropped (é → e, ü → u); anything but letters and
 * digits between words; single spaces.
 */
export function normaliseName(name: string): string {
  return name
    .toLowerCase()
    .replace(/æ|ä/g, 'ae')
    .replace(/ø|ö/g, 'oe')
    .replace(/å/g, 'aa')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/ß/g, 'ss')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The words of a name that may be searched by: two letters or more (an initial finds too many). */
export function nameWords(name: string): string[] {
  return [...new Set(normaliseName(name).split(' '))].filter((w) => w.length >= 2);
}

/** Every term a person is found by: each name word, the whole name, the birth date. */
export function personSearchTerms(person: { name: string; birthDate: string }): SearchTerm[] {
  const full = normaliseName(person.name);
  return [
    ...nameWords(person.name).map((value) => ({ kind: 'word' as const, value })),
    ...(full ? [{ kind: 'name' as const, value: full }] : []),
    { kind: 'birth', value: person.birthDate },
  ];
}

/**
 * The birth dates a typing slip turns `birthDate` into, and so the dates another record of the same person may carry:
 * one digit of YYYYMMDD wrong, two neighbouring digits swapped, or day and month swapped (04-03 for 03-04). Real dates
 * only, `birthDate` itself not among them.
 */
export function birthDateSlips(birthDate: string): string[] {
  if (!isCalendarDate(birthDate)) return [];
  const digits = birthDate.replace(/-/g, '');
  const out = new Set<string>();
  const add = (d: string) => {
    const date = `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;
    if (date !== birthDate && isCalendarDate(date)) out.add(date);
  };
  for (let i = 0; i < digits.length; i++) {
    for (const c of '0123456789') add(digits.slice(0, i) + c + digits.slice(i + 1));
    if (i + 1 < digits.length) add(digits.slice(0, i) + digits[i + 1] + digits[i] + digits.slice(i + 2));
  }
  add(digits.slice(0, 4) + digits.slice(6, 8) + digits.slice(4, 6));
  return [...out].sort();
}

/** Why a person search is refused: it needs a name word or a birth date; undefined when it may run. */
export function personSearchRefusal(query: { name?: string; birthDate?: string }): {
  field: string;
  reason: string;
}[] {
  const errors: { field: string; reason: string }[] = [];
  if (query.birthDate !== undefined && !isCalendarDate(query.birthDate))
    errors.push({ field: 'birthDate', reason: 'must be a date YYYY-MM-DD' });
  if (query.name !== undefined && nameWords(query.name).length === 0)
    errors.push({ field: 'name', reason: 'must hold a word of two letters or more' });
  if (query.name === undefined && query.birthDate === undefined)
    errors.push({ field: 'name', reason: 'give a name, a birth date or both' });
  return errors;
}

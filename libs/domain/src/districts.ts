// The partnership's districts and focus areas. They are rows in the database (`districts`) that the steering group
// changes (`PUT /districts/:code`: "ændring af det geografiske fokus"); this list is only what a fresh database is
// seeded with. The API checks a pathway's district against the table (opening, MOVED, the list filter); the
// workflow, which cannot read the table, checks the code's form only.

export interface DistrictSeed {
  code: string;
  name: string;
  /** A geographic focus area of the partnership (the agreement's Nørrebro and Nordvest), not only a place. */
  focus: boolean;
}

export const DISTRICT_SEED: readonly DistrictSeed[] = [
  { code: 'INDRE_NORREBRO', name: 'Indre Nørrebro', focus: true },
  { code: 'YDRE_NORREBRO', name: 'Ydre Nørrebro', focus: true },
  { code: 'BISPEBJERG_NORDVEST', name: 'Bispebjerg og Nordvest', focus: true },
  { code: 'TINGBJERG', name: 'Tingbjerg', focus: true },
  { code: 'OTHER', name: 'Andet sted', focus: false },
];

/** District codes are upper-case identifiers; the database decides which exist. */
export const DISTRICT_CODE_PATTERN = /^[A-Z][A-Z0-9_]{1,39}$/;
export const DISTRICT_CODE_REASON = 'must be a district code such as YDRE_NORREBRO';

export const isDistrictCode = (value: unknown): value is string =>
  typeof value === 'string' && DISTRICT_CODE_PATTERN.test(value);

/** Why a district code is not one to file a pathway under, given the districts in use; undefined when it is. */
export function districtRefusal(code: string, active: readonly string[]): string | undefined {
  if (active.includes(code)) return undefined;
  return `unknown district '${code}'; districts in use are ${active.join(', ')}`;
}

// The partnership's agencies (the partnership agreement's annex 1). They are rows in the database; this list is
// only what a fresh database is seeded with, so a new agency is added without a code change.

export interface AgencySeed {
  code: string;
  name: string;
  description: string;
}

export const AGENCY_SEED: readonly AgencySeed[] = [
  {
    code: 'POLICE_EAS',
    name: 'Efterretnings- og Analysesektionen',
    description: 'Registrerer og følger bandemedlemmer, analyserer personer; projektleder',
  },
  { code: 'POLICE_EXIT', name: 'Exitenheden (EAS)', description: 'Nationalt Exit-forløb; kræver vurderet motivation' },
  {
    code: 'POLICE_DKS',
    name: 'Den Kriminalpræventive Sektion',
    description: 'Forebyggelse under 18 år, hjemmebesøg med SSP',
  },
  { code: 'POLICE_LOCAL', name: 'Lokalpolitiet (Din Betjent)', description: 'Lokalkendskab og kontakt' },
  {
    code: 'POLICE_OC',
    name: 'Afdeling for Organiseret Kriminalitet',
    description: 'Efterforskning; kun til orientering',
  },
  { code: 'SSP', name: 'SSP København', description: 'Skoler, klubber og hjemmebesøg for 10-18-årige; SSP+ 18-25 år' },
  {
    code: 'EKI',
    name: 'Enheden for Kriminalpræventive Indsatser',
    description: 'Exit KK og koordinerende sagsbehandling ved Den Gode Løsladelse',
  },
  {
    code: 'CFR',
    name: 'Center for Forebyggelse og Rådgivning',
    description: '18+ centre og Københavnerteamets opsøgende arbejde',
  },
  {
    code: 'TIDLIG',
    name: 'Tidlig helhedsindsats',
    description: 'Uddannelses- og jobplan for varetægtsfængslede og dømte',
  },
  { code: 'JOBCENTER', name: 'Jobcenter', description: 'Forsørgelse og jobformidling' },
  { code: 'UU', name: 'Ungdommens Uddannelsesvejledning', description: 'Uddannelsesvejledning under 25 år' },
  {
    code: 'KRIMINALFORSORGEN',
    name: 'Kriminalforsorgen',
    description: 'Varetægt, løsladelsesdato og løsladelsessamarbejde',
  },
  {
    code: 'OPERATIVE_GROUP',
    name: 'Den operative styregruppe',
    description: 'Modtager eskaleringer; omprioriterer, omfordeler, forlænger',
  },
  {
    code: 'SIKKER_BY',
    name: 'Styregruppen for Sikker By',
    description: 'Andet eskaleringsniveau; modtager den årlige statusrapport',
  },
];

/**
 * Agencies added with playbook v2 (migration 1764547200000-AgeRoutingAgencies seeds them): SSP+ receives SSP's work
 * at 18, and children's services receive an underretning for a minor where the playbook says so.
 */
export const AGENCY_SEED_V2: readonly AgencySeed[] = [
  { code: 'SSP_PLUS', name: 'SSP+', description: 'SSP-samarbejdet for 18-25-årige; overtager SSP-arbejdet ved 18 år' },
  {
    code: 'BORGERCENTER_BU',
    name: 'Borgercenter Børn og Unge',
    description: 'Børne- og ungeforvaltningens myndighed; modtager underretninger om børn og unge under 18 år',
  },
];

/**
 * Every agency a database holds: its rows come from these seeds only (migrations Initial and AgeRoutingAgencies), so
 * the workflow's validator, which cannot read the table, refuses any other code as the API does. A new agency is a
 * new seed entry and a migration inserting it.
 */
export const KNOWN_AGENCY_CODES: ReadonlySet<string> = new Set([...AGENCY_SEED, ...AGENCY_SEED_V2].map((a) => a.code));

export const isKnownAgency = (code: string): boolean => KNOWN_AGENCY_CODES.has(code);

/**
 * Investigation units. Information shared under Retsplejeloven § 115 to prevent crime may not be used in criminal
 * investigation, so the engine never gives them a task or a notification, and a playbook that names one for work
 * is refused at publish (validatePlaybook in playbook.ts).
 */
export const INVESTIGATION_AGENCIES: ReadonlySet<string> = new Set(['POLICE_OC']);

export const isInvestigationAgency = (code: string): boolean => INVESTIGATION_AGENCIES.has(code);

/**
 * Ages an agency serves, inclusive, where it serves only some: the engine plans no task for it outside them (an
 * Exit unit or the Jobcenter for a 15-year-old, UU for a 30-year-old), whatever a playbook says. The age handover
 * moves an under-age agency's open work on at the birthday (the playbook's ageHandover).
 */
export const AGENCY_AGES: Readonly<Record<string, { min?: number; max?: number }>> = {
  POLICE_EXIT: { min: 18 },
  EKI: { min: 18 },
  JOBCENTER: { min: 18 },
  SSP_PLUS: { min: 18, max: 25 },
  UU: { max: 24 },
};

/** Whether an agency serves a person of this age (whole years). */
export function agencyServesAge(code: string, age: number): boolean {
  const range = AGENCY_AGES[code];
  return !range || ((range.min === undefined || age >= range.min) && (range.max === undefined || age <= range.max));
}

/** Agency codes are upper-case identifiers; the database decides which exist. */
export const AGENCY_CODE_PATTERN = /^[A-Z][A-Z0-9_]{1,39}$/;

/**
 * Partners outside the partnership (AgencyKind EXTERNAL in roles.ts): they work tasks but never receive personal
 * data. Not rows in the database yet: the sign-in tests and the development identity providers use these codes.
 */
export const EXTERNAL_AGENCY_SEED: readonly AgencySeed[] = [
  {
    code: 'BOLIGFORENING',
    name: 'Boligforeningen (ekstern partner)',
    description: 'Boligsocial indsats; modtager aldrig personoplysninger',
  },
  {
    code: 'MENTORKORPS',
    name: 'Frivilligt mentorkorps (ekstern partner)',
    description: 'Frivillige mentorer; modtager aldrig personoplysninger',
  },
];

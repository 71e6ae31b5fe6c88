// The partnership's agencies (DESIGN.md §2, the seed's annex 1). They are rows in the database; this list is
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

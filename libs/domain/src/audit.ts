// What the audit trail records besides who and when: why personal data was read or changed (the purpose), on which
// legal basis, and whether the attempt was allowed. The legal bases are data: each is a cooperation of the
// partnership with the paragraph that lets it share, and `legalBasisFor` picks the one a pathway's facts call for.
import { ADULT_AGE } from './age';
import type { Stage } from './pathway/vocabulary';

export const LEGAL_BASIS_CODES = ['SSP', 'SSP_PLUS', 'PSP', 'KSP', 'CONSENT', 'STATISTICS', 'CONTROL'] as const;
export type LegalBasisCode = (typeof LEGAL_BASIS_CODES)[number];

export interface LegalBasis {
  code: LegalBasisCode;
  /** The cooperation that shares on it (SSP, PSP, KSP), or none. */
  cooperation?: string;
  /** The text recorded with the row and shown to an auditor. */
  text: string;
}

export const LEGAL_BASES: { readonly [C in LegalBasisCode]: LegalBasis } = {
  // Schools, social services and police about children and young people under 18.
  SSP: { code: 'SSP', cooperation: 'SSP', text: 'Retsplejeloven § 115 (SSP-samarbejdet)' },
  // The SSP cooperation's continuation for 18–25-year-olds, parents included.
  SSP_PLUS: { code: 'SSP_PLUS', cooperation: 'SSP+', text: 'Retsplejeloven § 115a (SSP+, 18-25 år)' },
  // Psychiatry, social services and police; no agency of the partnership shares on it yet.
  PSP: { code: 'PSP', cooperation: 'PSP', text: 'Retsplejeloven § 115 (PSP-samarbejdet)' },
  // The Prison and Probation Service, social services and police: custody and release.
  KSP: { code: 'KSP', cooperation: 'KSP', text: 'Retsplejeloven § 115 (KSP-samarbejdet)' },
  CONSENT: { code: 'CONSENT', text: 'Samtykke fra personen' },
  // Aggregates that name nobody (dashboards, the yearly report).
  STATISTICS: { code: 'STATISTICS', text: 'Statistik: aggregerede tal, ingen personoplysninger læst' },
  // The auditor's own reads of the audit trail.
  CONTROL: { code: 'CONTROL', text: 'Databeskyttelsesforordningen art. 5, stk. 2 (kontrol af behandlingen)' },
};

/** Why a row was written: the purpose the data was read or changed for. */
// ADMINISTRATION: a change to how the system works (a playbook, a webhook, the year's goals), no person's data.
export const AUDIT_PURPOSES = ['PREVENTION', 'STATISTICS', 'CONTROL', 'ADMINISTRATION'] as const;
export type AuditPurpose = (typeof AUDIT_PURPOSES)[number];

export const AUDIT_RESULTS = ['ALLOWED', 'REFUSED'] as const;
export type AuditResult = (typeof AUDIT_RESULTS)[number];

/** The facts of a pathway the legal basis depends on; unknown facts (an unknown pathway) fall back to SSP. */
export interface LegalBasisFacts {
  consent?: boolean;
  stage?: Stage;
  /** The person's age when the data is read. */
  age?: number;
}

const KSP_STAGES: readonly Stage[] = ['CUSTODY', 'RELEASE_PLANNING'];

/**
 * The basis a read or change of one person's data rests on: the person's consent when given; KSP while the person is
 * in custody or being released; SSP+ from 18; SSP before.
 */
export function legalBasisFor(facts: LegalBasisFacts): LegalBasis {
  if (facts.consent) return LEGAL_BASES.CONSENT;
  if (facts.stage !== undefined && KSP_STAGES.includes(facts.stage)) return LEGAL_BASES.KSP;
  if (facts.age !== undefined && facts.age >= ADULT_AGE) return LEGAL_BASES.SSP_PLUS;
  return LEGAL_BASES.SSP;
}

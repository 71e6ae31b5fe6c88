// Who is calling: a person with one agency and one or more roles, as a sign-in token states them (see
// apps/api/src/auth/token-verifier.ts). Pure values only, so the API's policy and the workflow's update validators
// can both reason about the same actor.

/**
 * What a person may do follows from their roles, never from their agency's name alone:
 * - COORDINATOR: the project leader and coordinators: start pathways, record events, decide tracks;
 * - CASEWORKER: works its own agency's queue;
 * - TEAM_LEAD: a caseworker who also assigns and reassigns within its agency;
 * - OPERATIVE_GROUP: the escalation board, decisions, the meeting;
 * - STEERING: Sikker By: aggregates and reports only, never a person;
 * - MANAGER: aggregates and the stalled/overdue lists, without names;
 * - AUDITOR: the audit log;
 * - ADMIN: agencies, webhooks, playbooks; no personal data.
 */
export const ROLES = [
  'COORDINATOR',
  'CASEWORKER',
  'TEAM_LEAD',
  'OPERATIVE_GROUP',
  'STEERING',
  'MANAGER',
  'AUDITOR',
  'ADMIN',
] as const;

export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/**
 * PARTNER: an agency of the partnership (the seeded agencies in agencies.ts). EXTERNAL: a partner outside it (a
 * housing association, a volunteer mentor scheme) that works tasks but never receives personal data.
 */
export const AGENCY_KINDS = ['PARTNER', 'EXTERNAL'] as const;

export type AgencyKind = (typeof AGENCY_KINDS)[number];

/**
 * The only roles a person of an EXTERNAL agency can hold: they work their own agency's tasks. A token that gives an
 * external partner any other role is refused, whatever the identity provider was configured to say.
 */
export const EXTERNAL_AGENCY_ROLES: readonly Role[] = ['CASEWORKER', 'TEAM_LEAD'];

/** The signed-in person behind a request, as the API hands it to the policy and the workflow. */
export interface Principal {
  /** The identity provider's stable id for the person (the `sub` claim by default); never a name. */
  userId: string;
  /** For display within the person's own agency only. */
  displayName: string;
  agency: string;
  agencyKind: AgencyKind;
  /** At least one, without duplicates, in the order of ROLES. */
  roles: readonly Role[];
}

/** Why a set of role names cannot belong to one person of an agency of this kind; undefined when it can. */
export function rolesRefusal(roles: readonly string[], agencyKind: AgencyKind): string | undefined {
  if (roles.length === 0) return 'no role';
  if (!roles.every(isRole)) return 'a role this service does not know';
  if (agencyKind === 'EXTERNAL' && !roles.every((role) => EXTERNAL_AGENCY_ROLES.includes(role as Role))) {
    return 'a role an external partner cannot hold';
  }
  return undefined;
}

/** Roles in a stable order without duplicates; call after rolesRefusal has accepted them. */
export function normaliseRoles(roles: readonly Role[]): Role[] {
  return ROLES.filter((role) => roles.includes(role));
}

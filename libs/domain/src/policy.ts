// Who may do what: every action the API offers, which roles may perform it and, where it depends on the resource, on
// which condition. One table, pure, deny by default: an action no rule lets a role perform is refused. The API checks
// every request against it (apps/api/src/core/actor.ts: its guard, and `authorize` once a task's owner is read), and
// the workflow's update validator checks the event types by role with the same table (eventTypeRefusal).
import { isInvestigationAgency } from './agencies';
import type { EventType } from './events';
import { ROLES, type AgencyKind, type Role } from './roles';

/** The signed-in person acting on a request: the Principal of libs/domain/src/roles.ts. */
export interface Actor {
  readonly userId: string;
  readonly displayName: string;
  readonly agency: string;
  readonly agencyKind: AgencyKind;
  readonly roles: readonly Role[];
}

export const ACTIONS = [
  'health.check',
  'metrics.read',
  'agency.list',
  'district.list',
  'district.set',
  'queue.read',
  'queue.take',
  'queue.assign',
  'agency.users',
  'agency.capacity',
  'pathway.open',
  'pathway.list',
  'pathway.read',
  'pathway.timeline',
  'pathway.record-event',
  'pathway.migrate-playbook',
  'pathway.add-task',
  'pathway.suggested-tasks',
  'pathway.confirm-closure',
  'pathway.reject-closure',
  'pathway.reopen',
  'task.read',
  'task.claim',
  'task.unclaim',
  'task.assign',
  'task.complete',
  'task.reassign',
  'task.extend',
  'task.cancel',
  'task.hold',
  'task.resume',
  'task.notes',
  'task.history',
  'escalation.board',
  'escalation.resolve',
  'meeting.read',
  'meeting.hold',
  'meeting.decide',
  'playbook.list',
  'playbook.read',
  'playbook.publish',
  'notification.dead-letters',
  'notification.requeue',
  'agency.webhook',
  'admin.reconcile',
  'oversight.read',
  'oversight.recompute',
  'report.read',
  'report.set-goals',
  'audit.read',
  'audit.verify',
  'person.access-report',
  'person.search',
  'person.correct',
  'temporal.decode',
  'person.erase',
  'person.keep',
  'retention.read',
] as const;
export type Action = (typeof ACTIONS)[number];

/**
 * What an action's condition is about, and so what `owner` is: the agency a task belongs to, the agency whose queue
 * (or people) it is (the route's `:code`), or the agency a new pathway's contact arose at (its `contact.sourceAgency`).
 */
export type ResourceKind = 'task' | 'queue' | 'source';

export interface Rule {
  /** Who may, in words (for the API's documentation and the refusal). */
  readonly who: string;
  /** No sign-in at all: health and metrics, which carry no person. */
  readonly public?: true;
  /** The roles that may perform the action (any one of them suffices); deny for every other. */
  readonly roles: readonly Role[];
  /** The answer carries personal data: never for an EXTERNAL agency. */
  readonly personal?: true;
  /** The resource the condition is about; `owner` is then its agency. */
  readonly on?: ResourceKind;
  /** Why the actor may not, given its roles passed; undefined when it may. */
  readonly condition?: (actor: Actor, owner: string) => string | undefined;
}

const WORKERS: readonly Role[] = ['CASEWORKER', 'TEAM_LEAD', 'COORDINATOR', 'OPERATIVE_GROUP'];
/** The roles that see every pathway whole: the coordinators and the operative group (its meeting decides on them). */
export const OVERSEER_ROLES: readonly Role[] = ['COORDINATOR', 'OPERATIVE_GROUP'];
const EVERY_ROLE: readonly Role[] = ROLES;

export const hasRole = (actor: Actor, ...roles: readonly Role[]): boolean =>
  actor.roles.some((role) => roles.includes(role));
export const oversees = (actor: Actor): boolean => hasRole(actor, ...OVERSEER_ROLES);

/**
 * Who sees gang-related context (the track, consent and motivation, how the contact arose): by role, the coordinators
 * wherever they sit and the operative group, which makes the joint assessment and decides escalations on it; by agency, the police prevention units and EKI, whose work is the person's exit from a gang. Not
 * an investigation unit (POLICE_OC): information shared under Retsplejeloven § 115 to prevent crime may not serve an
 * investigation (purpose limitation, libs/domain/src/agencies.ts). Nobody else: a Jobcenter caseworker needs a name to
 * place someone in a job, not the person's gang affiliation.
 */
export const CONTEXT_RULE: { readonly roles: readonly Role[]; readonly agencies: readonly string[] } = {
  roles: ['COORDINATOR', 'OPERATIVE_GROUP'],
  agencies: ['POLICE_EAS', 'POLICE_EXIT', 'POLICE_DKS', 'POLICE_LOCAL', 'EKI'],
};

export const seesContext = (actor: Pick<Actor, 'agency' | 'roles'>): boolean =>
  !isInvestigationAgency(actor.agency) &&
  (actor.roles.some((role) => CONTEXT_RULE.roles.includes(role)) || CONTEXT_RULE.agencies.includes(actor.agency));

// The refusal never names the resource's agency: a caller without need to know learns nothing from it.
const NOT_YOURS = 'this is not for your agency';
const ownAgency = (actor: Actor, owner: string) => (actor.agency === owner ? undefined : NOT_YOURS);
const ownOrOverseen = (actor: Actor, owner: string) =>
  actor.agency === owner || oversees(actor) ? undefined : NOT_YOURS;

const PUBLIC: Rule = { who: 'anyone, without signing in', public: true, roles: EVERY_ROLE };
const SIGNED_IN: Rule = { who: 'anyone signed in', roles: EVERY_ROLE };
const READ_PATHWAYS: Rule = {
  who: 'the coordinators and the operative group',
  roles: OVERSEER_ROLES,
  personal: true,
};

/** Work on a task of the actor's own agency; queues and task commands answer without the person. */
const taskWork = (who: string): Rule => ({ who, roles: WORKERS, on: 'task', condition: ownAgency });
const operativeGroup = (who: string): Rule => ({ who, roles: ['OPERATIVE_GROUP'], personal: true });

export const POLICY: { readonly [A in Action]: Rule } = {
  'health.check': PUBLIC,
  // Aggregate figures for the scraper; no person, no pathway id.
  'metrics.read': PUBLIC,
  'agency.list': SIGNED_IN,
  'district.list': SIGNED_IN,
  // "Ændring af det geografiske fokus" is the steering group's (the agreement); an administrator keeps the list tidy.
  'district.set': { who: 'the steering group and the administrators', roles: ['STEERING', 'ADMIN'] },
  'queue.read': {
    who: "the queue's own agency, the coordinators and the operative group",
    roles: WORKERS,
    on: 'queue',
    condition: ownOrOverseen,
  },
  'queue.take': {
    who: "the queue's own agency",
    roles: WORKERS,
    on: 'queue',
    condition: ownAgency,
  },
  // A team lead shares out its agency's work, in one call for several tasks; nobody assigns another agency's people.
  'queue.assign': {
    who: "a team lead of the queue's own agency",
    roles: ['TEAM_LEAD'],
    on: 'queue',
    condition: ownAgency,
  },
  // The people of an agency who have signed in (names, no personal data of a citizen): whom a team lead can assign.
  'agency.users': {
    who: 'a team lead of that agency',
    roles: ['TEAM_LEAD'],
    on: 'queue',
    condition: ownAgency,
  },
  // Kapacitet per person (claimed, overdue, last action, absent): a team lead rebalances its own agency's work.
  'agency.capacity': {
    who: 'a team lead of that agency',
    roles: ['TEAM_LEAD'],
    on: 'queue',
    condition: ownAgency,
  },
  // The contact is reported in the reporter's own name: nobody opens a pathway on another agency's behalf.
  'pathway.open': {
    who: 'coordinators and caseworkers, for a contact at their own agency',
    roles: ['COORDINATOR', 'CASEWORKER', 'TEAM_LEAD'],
    personal: true,
    on: 'source',
    condition: (actor, source) => (actor.agency === source ? undefined : 'contact.sourceAgency must be your agency'),
  },
  'pathway.list': READ_PATHWAYS,
  'pathway.read': READ_PATHWAYS,
  'pathway.timeline': READ_PATHWAYS,
  // Whoever learns what happened to the person records it, in its own name; some types only a coordinator
  // (eventTypeRefusal).
  'pathway.record-event': {
    who: 'coordinators, the operative group and caseworkers (some event types coordinators only)',
    roles: WORKERS,
    personal: true,
  },
  'pathway.migrate-playbook': { who: 'the coordinators', roles: ['COORDINATOR'], personal: true },
  // Work no playbook plans (housing, relocation, a volunteer mentor): the coordinators decide it, for any agency.
  'pathway.add-task': {
    who: 'the coordinators and the operative group',
    roles: ['COORDINATOR', 'OPERATIVE_GROUP'],
    personal: true,
  },
  // The playbook's optional steps "by need" (Tidlig helhedsindsats) the coordinators may add now; adding one is
  // pathway.add-task.
  'pathway.suggested-tasks': {
    who: 'the coordinators and the operative group',
    roles: ['COORDINATOR', 'OPERATIVE_GROUP'],
    personal: true,
  },
  // Four eyes: a coordinator's CLOSED waits for a second, different coordinator (decideClosureRefusal in
  // libs/domain/src/pathway/refusals.ts refuses the one who asked); a closed pathway is reopened by a coordinator.
  'pathway.confirm-closure': { who: 'the coordinators', roles: ['COORDINATOR'], personal: true },
  'pathway.reject-closure': { who: 'the coordinators', roles: ['COORDINATOR'], personal: true },
  'pathway.reopen': { who: 'the coordinators', roles: ['COORDINATOR'], personal: true },
  // An external partner reads its own task without the person (apps/api/src/tasks/tasks.service.ts).
  'task.read': {
    who: "the task's agency, the coordinators and the operative group",
    roles: WORKERS,
    on: 'task',
    condition: ownOrOverseen,
  },
  'task.claim': taskWork("the task's agency"),
  'task.complete': taskWork("the task's agency"),
  // The operative group frees a task whose assignee is away.
  'task.unclaim': {
    who: "the task's agency and the operative group",
    roles: WORKERS,
    on: 'task',
    condition: (actor, owner) => (actor.agency === owner || hasRole(actor, 'OPERATIVE_GROUP') ? undefined : NOT_YOURS),
  },
  'task.assign': { who: "a team lead of the task's agency", roles: ['TEAM_LEAD'], on: 'task', condition: ownAgency },
  'task.reassign': operativeGroup('the operative group'),
  'task.extend': operativeGroup('the operative group'),
  'task.cancel': operativeGroup('the operative group'),
  // On hold until a date and back again: the task's own agency manages its own work (issue 10, item 8).
  'task.hold': taskWork("the task's agency"),
  'task.resume': taskWork("the task's agency"),
  // Working notes: the task's own agency writes and reads them; nobody else, not the coordinators either.
  'task.notes': taskWork("the task's agency"),
  // The task's own history (its timeline entries): as the task itself.
  'task.history': {
    who: "the task's agency, the coordinators and the operative group",
    roles: WORKERS,
    on: 'task',
    condition: ownOrOverseen,
  },
  'escalation.board': operativeGroup('the operative group'),
  'escalation.resolve': operativeGroup('the operative group'),
  // The operative group's meeting: its agenda names pathways (by id) and its decisions act on them.
  'meeting.read': operativeGroup('the operative group'),
  'meeting.hold': operativeGroup('the operative group'),
  'meeting.decide': operativeGroup('the operative group'),
  'playbook.list': SIGNED_IN,
  'playbook.read': SIGNED_IN,
  // Which work every agency gets: decided by the coordinators, maintained by the administrators. No person in it.
  'playbook.publish': { who: 'the coordinators and administrators', roles: ['COORDINATOR', 'ADMIN'] },
  // Dead letters name agencies and webhooks, never a person; they are operations' business.
  'notification.dead-letters': { who: 'administrators', roles: ['ADMIN'] },
  'notification.requeue': { who: 'administrators', roles: ['ADMIN'] },
  // The URL, the signing secret and delivery statistics of an agency's webhook (PUT/GET /agencies/:code/webhook).
  'agency.webhook': { who: 'administrators', roles: ['ADMIN'] },
  // Reconciliation compares and repairs the read model; its answer names pathway ids and field names, no person.
  'admin.reconcile': { who: 'administrators', roles: ['ADMIN'] },
  // Aggregates only, never a person; audited as statistics (apps/api/src/oversight).
  'oversight.read': {
    who: 'the steering group, managers and the operative group',
    roles: ['STEERING', 'MANAGER', 'OPERATIVE_GROUP'],
  },
  // Past months' SLA figures are computed once and kept; recomputing one (after late read-model writes or a data
  // correction) changes published figures, so only administrators and the steering group may, and it is audited.
  'oversight.recompute': { who: 'administrators and the steering group', roles: ['ADMIN', 'STEERING'] },
  // The yearly status report, its goals and external figures: figures, suppressed below the minimum cell.
  'report.read': {
    who: 'the steering group, managers and the operative group',
    roles: ['STEERING', 'MANAGER', 'OPERATIVE_GROUP'],
  },
  // The steering group (Sikker By) sets its activity goals and enters the figures only it knows.
  'report.set-goals': { who: 'the steering group', roles: ['STEERING'] },
  // The audit trail names the staff who acted and the pathways they touched: the auditors read it, nobody else.
  'audit.read': { who: 'the auditors', roles: ['AUDITOR'] },
  'audit.verify': { who: 'the auditors', roles: ['AUDITOR'] },
  // A data subject's request: who looked at the person, when and why (ids and reasons, no personal data of theirs).
  'person.access-report': { who: 'the auditors', roles: ['AUDITOR'] },
  // Finding a person by name or birth date (issue 10, item 7), audited per search: the coordinators, who open and
  // keep the pathways; the operative group reads the pathways it is shown, it does not look people up.
  'person.search': { who: 'the coordinators', roles: ['COORDINATOR'], personal: true },
  // A wrong name or birth date routes a person to the wrong agencies; a coordinator corrects it, with a reason.
  'person.correct': { who: 'the coordinators', roles: ['COORDINATOR'], personal: true },
  // The Temporal UI's codec endpoint (POST /codec/decode): payloads in clear, every request audited.
  'temporal.decode': { who: 'the coordinators and the auditors', roles: ['COORDINATOR', 'AUDITOR'], personal: true },
  // Erasure takes two coordinators: one asks, another confirms (apps/api/src/persons/persons.service.ts).
  'person.erase': { who: 'the coordinators', roles: ['COORDINATOR'] },
  // The retention review: the coordinators see who is due and may keep a person past the period, with a reason.
  'person.keep': { who: 'the coordinators', roles: ['COORDINATOR'] },
  'retention.read': { who: 'the coordinators', roles: ['COORDINATOR'] },
};

/**
 * Why `actor` may not perform `action` for its roles and agency kind alone; undefined when it may (a condition on a
 * resource may still refuse: `refusal` with the owner).
 */
export function roleRefusal(action: Action, actor: Actor | undefined): string | undefined {
  const rule = POLICY[action];
  if (rule.public) return undefined;
  if (actor === undefined) return 'sign in';
  if (!hasRole(actor, ...rule.roles)) return `only ${rule.who} may do this`;
  if (rule.personal && actor.agencyKind === 'EXTERNAL') return 'external partners receive no personal data';
  return undefined;
}

/**
 * Why `actor` may not perform `action` (on a resource owned by `owner`, for the actions whose rule is about one);
 * undefined when it may. A rule about a resource refuses when its owner is not known.
 */
export function refusal(action: Action, actor: Actor | undefined, owner?: string): string | undefined {
  const byRole = roleRefusal(action, actor);
  if (byRole !== undefined || actor === undefined) return byRole;
  const rule = POLICY[action];
  if (rule.on === undefined) return undefined;
  if (owner === undefined) return `no ${rule.on} to decide on`;
  return rule.condition?.(actor, owner);
}

export function may(action: Action, actor: Actor | undefined, owner?: string): boolean {
  return refusal(action, actor, owner) === undefined;
}

/**
 * Why a person with these roles may not perform the action, by role alone: what the workflow's update validator can
 * check from the roles a command carries (it knows no token, agency kind or route).
 */
export function actionRolesRefusal(action: Action, roles: readonly Role[]): string | undefined {
  const rule = POLICY[action];
  return rule.public || roles.some((role) => rule.roles.includes(role)) ? undefined : `only ${rule.who} may do this`;
}

/** Events that decide about the person (track, consent, motivation, the end): recorded by a coordinator only. */
export const COORDINATOR_EVENT_TYPES: readonly EventType[] = [
  'ASSESSED',
  'CONSENT_GIVEN',
  'CONSENT_WITHDRAWN',
  'MOTIVATION_ASSESSED',
  'CLOSED',
];

/** Why a person with these roles may not record an event of this type; undefined when they may. */
export function eventTypeRefusal(type: EventType, roles: readonly Role[]): string | undefined {
  if (COORDINATOR_EVENT_TYPES.includes(type) && !roles.includes('COORDINATOR')) {
    return `only a coordinator may record ${type}`;
  }
  return undefined;
}

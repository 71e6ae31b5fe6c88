// Who may do what: every action the API offers, who may perform it and, where it depends on the resource, on which
// condition. One table, pure, so that a rule is read and changed in one place; the API checks every request against
// it (apps/api/src/core/actor.ts: its guard, and `authorize` once a task's or queue's owner is read).
import { OVERSIGHT_AGENCIES } from './access';

/**
 * The party acting on a request. Today that is an agency (named by the X-Agency header until there is
 * authentication); an identity from a token adds who the person is and their roles, and the rules below keep
 * reading the agency.
 */
export interface Actor {
  readonly agency: string;
}

export const ACTIONS = [
  'health.check',
  'metrics.read',
  'agency.list',
  'queue.read',
  'queue.take',
  'pathway.open',
  'pathway.list',
  'pathway.read',
  'pathway.timeline',
  'pathway.record-event',
  'pathway.migrate-playbook',
  'task.read',
  'task.claim',
  'task.unclaim',
  'task.complete',
  'task.reassign',
  'task.extend',
  'task.cancel',
  'escalation.board',
  'escalation.resolve',
  'playbook.list',
  'playbook.read',
  'playbook.publish',
  'notification.dead-letters',
  'notification.requeue',
  'oversight.read',
  'report.read',
  'report.set-goals',
] as const;
export type Action = (typeof ACTIONS)[number];

/** What an action's condition is about: a task (its agency owns it) or an agency's own queue. */
export type ResourceKind = 'task' | 'queue';

export interface Rule {
  /** Who may, in words (for the API's documentation). */
  readonly who: string;
  /** No acting party is needed: anyone may. */
  readonly anyone?: true;
  /** The resource the condition is about; `owner` is then the agency it belongs to. */
  readonly on?: ResourceKind;
  /** Why the actor may not; undefined when it may. Without it, any acting agency may. */
  readonly refuse?: (actor: Actor, owner: string) => string | undefined;
}

const ANYONE: Rule = { who: 'anyone', anyone: true };

const OVERSEERS = `the coordinators and steering groups (${OVERSIGHT_AGENCIES.join(', ')})`;
const oversees = (actor: Actor) => OVERSIGHT_AGENCIES.includes(actor.agency);

/** The coordinators and steering groups see every pathway whole and decide about playbooks. */
function overseers(refusal: string): Rule {
  return { who: OVERSEERS, refuse: (actor) => (oversees(actor) ? undefined : refusal) };
}

/** The operative group alone decides about other agencies' work: it coordinates the pathways. */
function operativeGroup(what: string): Rule {
  return {
    who: 'the operative group (OPERATIVE_GROUP)',
    refuse: (actor) => (actor.agency === 'OPERATIVE_GROUP' ? undefined : `only the operative group may ${what}`),
  };
}

const belongsTo = (owner: string) => `the task belongs to ${owner}`;
const READ_PATHWAYS = `pathways are read by ${OVERSIGHT_AGENCIES.join(', ')}; an agency reads its own tasks at /tasks/:id`;

export const POLICY: { readonly [A in Action]: Rule } = {
  'health.check': ANYONE,
  // Aggregate figures for the scraper; no person, no pathway id.
  'metrics.read': ANYONE,
  'agency.list': ANYONE,
  'queue.read': ANYONE,
  'queue.take': {
    who: 'the agency itself',
    on: 'queue',
    refuse: (actor, owner) => (actor.agency === owner ? undefined : `only ${owner} may take work from its queue`),
  },
  'pathway.open': ANYONE,
  'pathway.list': overseers(READ_PATHWAYS),
  'pathway.read': overseers(READ_PATHWAYS),
  'pathway.timeline': overseers(READ_PATHWAYS),
  // Whoever learns what happened to the person records it, in its own name.
  'pathway.record-event': { who: 'any agency' },
  'pathway.migrate-playbook': overseers(`a pathway changes playbook by decision of ${OVERSIGHT_AGENCIES.join(', ')}`),
  // Everyone who owns a task sees who it is about; the overseers see every task.
  'task.read': {
    who: `the task's agency and ${OVERSEERS}`,
    on: 'task',
    refuse: (actor, owner) => (actor.agency === owner || oversees(actor) ? undefined : belongsTo(owner)),
  },
  'task.claim': {
    who: "the task's agency",
    on: 'task',
    refuse: (actor, owner) => (actor.agency === owner ? undefined : belongsTo(owner)),
  },
  // The operative group frees a task whose assignee is away.
  'task.unclaim': {
    who: "the task's agency and the operative group (OPERATIVE_GROUP)",
    on: 'task',
    refuse: (actor, owner) =>
      actor.agency === owner || actor.agency === 'OPERATIVE_GROUP' ? undefined : belongsTo(owner),
  },
  'task.complete': {
    who: "the task's agency",
    on: 'task',
    refuse: (actor, owner) => (actor.agency === owner ? undefined : belongsTo(owner)),
  },
  'task.reassign': operativeGroup('reassign a task'),
  'task.extend': operativeGroup('extend a deadline'),
  'task.cancel': operativeGroup('cancel a task'),
  'escalation.board': ANYONE,
  'escalation.resolve': operativeGroup('resolve an escalation'),
  'playbook.list': ANYONE,
  'playbook.read': ANYONE,
  // Which work every agency gets is the steering groups' decision.
  'playbook.publish': overseers(`playbooks are published by ${OVERSIGHT_AGENCIES.join(', ')}`),
  'notification.dead-letters': ANYONE,
  'notification.requeue': ANYONE,
  // Roles: STEERING, MANAGER, OPERATIVE_GROUP. Aggregates only, never a person; audited as statistics.
  'oversight.read': overseers(`aggregates are read by ${OVERSIGHT_AGENCIES.join(', ')}`),
  // Roles: STEERING, MANAGER, OPERATIVE_GROUP. The yearly status report, its goals and external figures.
  'report.read': overseers(`reports are read by ${OVERSIGHT_AGENCIES.join(', ')}`),
  // Roles: STEERING. The steering group (Sikker By) sets its activity goals and enters the figures only it knows.
  'report.set-goals': {
    who: 'the steering group (SIKKER_BY)',
    refuse: (actor) =>
      actor.agency === 'SIKKER_BY' ? undefined : 'only the steering group sets activity goals and external figures',
  },
};

/**
 * Why `actor` may not perform `action` (on a resource owned by `owner`, for the actions whose rule is about one);
 * undefined when it may. A rule about a resource refuses when its owner is not known.
 */
export function refusal(action: Action, actor: Actor | undefined, owner?: string): string | undefined {
  const rule = POLICY[action];
  if (rule.anyone) return undefined;
  if (actor === undefined) return 'an acting agency is required';
  if (rule.on !== undefined && owner === undefined) return `no ${rule.on} to decide on`;
  return rule.refuse?.(actor, owner ?? '');
}

export function may(action: Action, actor: Actor | undefined, owner?: string): boolean {
  return refusal(action, actor, owner) === undefined;
}

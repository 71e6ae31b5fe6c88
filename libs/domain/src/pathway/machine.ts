// The pathway as a plain machine: every rule of a person's pathway (stages, events, tasks, the reminder → overdue →
// level 1 → level 2 ladder, handovers, release dates, consent and motivation, the age handover, stall detection)
// over one state object, and the read-model batch it emits. It does no I/O: time, ids and patch gates come in
// through `PathwayEnvironment`, so the workflow shell (workflows/pathway/workflow.ts) hands it Temporal's clock,
// uuid4 and patched(), and a unit test a settable clock.
//
// Replay: the shell's Temporal commands follow from what this machine asks of its environment. `patched(id)`
// records a marker the first time it answers true, so every gate below is asked at the same moments, and only
// under the same conditions, as in the workflow it came from; `newId()` is called once per task created and, behind
// random-notification-ids, once per notification.
import { ageOn, birthdayOf, monthsBefore } from '../age';
import { AGENCY_AGES, agencyServesAge, isInvestigationAgency } from '../agencies';
import { copenhagenTime } from '../calendar';
import { releaseInstant, type ClosingOutcome, type PathwayEvent } from '../events';
import { actionRolesRefusal, eventTypeRefusal, type Action } from '../policy';
import type { Role } from '../roles';
import { timelineEntryId } from '../ids';
import {
  DEFAULT_NOT_REACHED,
  dueFrom,
  conditionHolds,
  deadline,
  planStageTasks,
  planTask,
  suggestedTasks,
  type PlannedEvent,
  releasePlanningStart,
  type PlannedTask,
  type PlanningContext,
  type Playbook,
} from '../playbook';
import { ESCALATION_TARGETS, nextTaskTimer, reminderShares, type TaskTimer } from '../sla';
import { stageAfterTasks } from '../stage-rules';
import type {
  AddSuggestedTaskInput,
  AddTaskInput,
  AssignTaskInput,
  CancelTaskInput,
  ClaimTaskInput,
  CompleteTaskInput,
  CorrectPersonInput,
  DecideClosureInput,
  ExtendTaskInput,
  HoldTaskInput,
  MigratePlaybookInput,
  PathwayInput,
  PathwayState,
  PathwayPersonRecord,
  PathwayStatus,
  ReassignTaskInput,
  RecordMeetingDecisionInput,
  ReopenPathwayInput,
  ResolveEscalationInput,
  TaskCommand,
} from './commands';
import { AD_HOC_TASK_KEY, FailureType, REOPEN_WITHIN_DAYS } from './commands';
import type { PathwayProjection } from './projection';
import {
  addSuggestedTaskRefusal,
  addTaskRefusal,
  assignTaskRefusal,
  cancelTaskRefusal,
  claimTaskRefusal,
  completeTaskRefusal,
  correctPersonRefusal,
  decideClosureRefusal,
  extendTaskRefusal,
  meetingDecisionRefusal,
  holdEndsAt,
  holdTaskRefusal,
  migratePlaybookRefusal,
  reassignTaskRefusal,
  recordEventRefusal,
  repeatedFactRefusal,
  reopenRefusal,
  resolveEscalationRefusal,
  resumeTaskRefusal,
  taskFacts,
  unclaimTaskRefusal,
  type Refusal,
} from './refusals';
import {
  isTaskOutcome,
  type CancelCode,
  type Escalation,
  type EscalationDecision,
  type Notification,
  type Person,
  type Stage,
  type Task,
  type TaskOutcome,
  type TaskStatus,
  type TimelineEntry,
  type TimelineKind,
} from './vocabulary';

/**
 * The policy's refusal by role (libs/domain/src/policy.ts) for a command that carries its sender's roles; none for
 * commands recorded before sign-in, which carry none.
 */
function byRole(action: Action, roles: readonly Role[] | undefined): Refusal | undefined {
  const why = roles && actionRolesRefusal(action, roles);
  return why ? { type: FailureType.NotAllowed, message: why } : undefined;
}

/** What the machine needs from the world: the time, fresh ids, and whether a behaviour change applies. */
export interface PathwayEnvironment {
  now(): Date;
  newId(): string;
  /** True when the change with this id applies to the pathway (Temporal's patched(): records a marker). */
  patched(id: string): boolean;
}

/** The patch ids the machine asks about, in the order they were introduced. */
export const PATHWAY_PATCHES = {
  /** Deadlines, reminders, escalation and stall detection came after the first pathways ran. */
  slaTimers: 'task-sla-timers',
  skipPlannedTasksAlreadyOpen: 'skip-planned-tasks-already-open',
  waitOnlyForReadyWork: 'wake-only-for-ready-waiting-work',
  ageHandoverKeepsAdultWork: 'age-handover-keeps-adult-work',
  cancelFollowsHandover: 'cancel-follows-handover',
  releaseMoveRestartsLadder: 'release-move-restarts-ladder',
  /** Playbook v2 (issue 10): no work for investigation units; INVESTIGATION_ONLY closes the pathway. */
  purposeLimitation: 'purpose-limitation',
  /** Recording ASSESSED completes the operative group's joint-assessment task: the decision is its outcome. */
  assessmentCompletesTask: 'assessment-completes-joint-task',
  /** No task for an agency outside the ages it serves (AGENCY_AGES: adult agencies for minors, UU from 25). */
  ageAppropriateRouting: 'age-appropriate-routing',
  /** Task outcomes (issue 10, item 8): DECLINED, NOT_REACHED (another attempt, then the group) and NOT_RELEVANT. */
  taskOutcomes: 'task-outcomes',
  /** Issue 9: a coordinator's CLOSED waits for a second coordinator's confirmation (four eyes). */
  closureFourEyes: 'closure-four-eyes',
  /** Issue 9: a closed pathway's workflow waits REOPEN_WITHIN_DAYS before it ends, so a coordinator can reopen it. */
  reopenWindow: 'closed-pathway-reopen-window',
  /** Issue 9: a notification's id is random (newId), not `pathway:sequence:agency`; that is its dedupKey now. */
  randomNotificationIds: 'random-notification-ids',
  /**
   * Issue 13: the search attributes say nothing that singles out investigation: no track, no agencies (which agency
   * works on someone says as much). Stage, district, overdue and stalled only; lists filter on the read model.
   */
  searchAttributesWithoutTrack: 'search-attributes-without-track',
  /**
   * Issue 14: CONSENT_GIVEN while consent stands and a SENTENCED repeating the recorded sentence are refused in the
   * update handler too (two such events validated in one activation); histories that applied a repeat replay as
   * they ran.
   */
  refuseRepeatedFacts: 'refuse-repeated-facts',
  /**
   * Issue 10 item 7: a coordinator's correction of the birth date re-plans the work that hangs on the age
   * (replanForAge). Asked only when a correction changes the birth date; the correctPerson Update is new, so no
   * earlier history holds one, and the gate marks the histories that re-planned.
   */
  personCorrection: 'people-person-correction',
  /**
   * Issue 10: open work for an investigation unit left from before purpose limitation (v1's `oc-information`) is
   * cancelled with a neutral code at the pathway's next activation. Asked only while such a task is open.
   */
  withdrawInvestigationWork: 'v2-withdraw-investigation-work',
  /** Issue 10: an open ad-hoc task does not hold its stage's move. Asked only when it would have held it. */
  adHocDoesNotHoldStage: 'v2-ad-hoc-does-not-hold-stage',
  /**
   * Issue 10: on the birthday past an agency's top age (AGENCY_AGES: UU at 25, SSP+ at 26) its open work ends with a
   * neutral code. Asked only while such work is open.
   */
  ageLimitEndsWork: 'v2-age-limit-ends-work',
  /**
   * Issue 10: a pathway on track PREVENTION or NO_ACTION with nothing open and nothing waiting is a finished
   * prevention case, not a stalled one. Asked only for such a pathway.
   */
  finishedPreventionNeverStalls: 'v2-finished-prevention-never-stalls',
  /**
   * Issue 10, item 8: a task on hold (holdTask) stops its ladder and returns by itself at its date, its deadline moved
   * by the time on hold. Asked once per hold, when the hold is applied: only a history that holds a task carries it.
   */
  onHold: 'on-hold-tasks',
  /**
   * Issue 12: the meeting's CHANGE_PRIORITY sets the pathway's priority (PRIORITY_CHANGED) and its CLOSE asks for the
   * closure (CLOSURE_REQUESTED, confirmed by a coordinator). Asked only inside recordMeetingDecision for those two
   * decisions: only a history that holds one carries the marker.
   */
  meetingPriorityAndClose: 'meeting-priority-and-close',
} as const;

/** Tracks whose pathway has nothing left to do once its work is done: it waits, it does not stall. */
const PREVENTION_TRACKS: readonly string[] = ['PREVENTION', 'NO_ACTION'];

/**
 * The search attributes a pathway carries: stage, district and flags, never the person. Runs from before
 * PATHWAY_PATCHES.searchAttributesWithoutTrack also carry the agency codes and the track; `hidden` then names the
 * attributes a run on the new branch clears (a run continued as new inherits what the old one set).
 */
export interface PathwaySearchAttributes {
  stage: Stage;
  district: string;
  overdue: boolean;
  stalled: boolean;
  agencies?: string[];
  track?: string;
  hidden?: true;
}

/** What recording an event would do (PathwayMachine.preview): shown before the user confirms it. */
export interface EventPreview {
  stageBefore: Stage;
  stageAfter: Stage;
  /** Tasks the event opens, in the order they are created. */
  created: { key: string; agency: string; type: string; title: string; dueAt: string; compressed?: true }[];
  /** Open tasks the event ends (cancelled, or completed as the event's own work). */
  ended: { key: string; agency: string; title: string; status: TaskStatus }[];
  refusal?: Refusal;
}

const isOpen = (task: Task) => task.status === 'OPEN' || task.status === 'CLAIMED';

export class PathwayMachine {
  readonly state: PathwayState;
  playbook: Playbook;
  /** Set when a timer-relevant fact changes, so the shell recomputes its next wake-up; the shell clears it. */
  dirty = false;

  /** The answers `patched()` has given this run, so a preview (a query, which may not ask Temporal) can repeat them. */
  private readonly patchAnswers = new Map<string, boolean>();
  private readonly env: PathwayEnvironment;

  constructor(
    private readonly input: PathwayInput,
    env: PathwayEnvironment,
  ) {
    this.env = {
      now: () => env.now(),
      newId: () => env.newId(),
      patched: (id) => {
        const answer = env.patched(id);
        this.patchAnswers.set(id, answer);
        return answer;
      },
    };
    this.playbook = input.playbook;
    // A state carried over from a run of older code lacks the newer fields: they start empty.
    this.state = input.state ? { ...this.fresh(), ...input.state } : this.fresh();
  }

  private fresh(): PathwayState {
    return {
      stage: 'CONTACT',
      district: this.input.person.district,
      consent: false,
      handedOver: false,
      openedAt: this.nowIso(),
      stageEnteredAt: this.nowIso(),
      lastProgressAt: this.nowIso(),
      version: 0,
      timelineSequence: 0,
      tasks: [],
      waiting: [],
      pendingTimeline: [],
      pendingTaskIds: [],
      projectedOnce: false,
      escalations: [],
      stalled: false,
      pendingEscalationIds: [],
      pendingNotifications: [],
    };
  }

  private now(): Date {
    return this.env.now();
  }

  private nowIso(): string {
    return this.env.now().toISOString();
  }

  get closed(): boolean {
    return this.state.stage === 'CLOSED';
  }

  /** Closed, and past the time it could be reopened (at once for pathways closed before reopening existed). */
  get finished(): boolean {
    const until = this.state.reopenableUntil;
    return this.closed && (until === undefined || this.now().getTime() >= Date.parse(until));
  }

  /** How many times the pathway has continued as new. */
  get runs(): number {
    return this.input.state?.runs ?? 0;
  }

  private slaTimers(): boolean {
    return this.env.patched(PATHWAY_PATCHES.slaTimers);
  }

  /** Task and stall timers changed: only pathways that have them need the shell to look again. */
  private slaChanged(): void {
    if (this.slaTimers()) this.dirty = true;
  }

  private adultAge(): number {
    return this.playbook.ageHandover?.age ?? 18;
  }

  /** Work the playbook plans for adults only: the age handover is for work begun with a minor, not for this. */
  private isAdultWork(key: string): boolean {
    return (
      (this.playbookTask(key)?.when?.minAge ?? 0) >= this.adultAge() &&
      this.env.patched(PATHWAY_PATCHES.ageHandoverKeepsAdultWork)
    );
  }

  /** Who the pathway is about: as the pathway began, or as a coordinator last corrected it. */
  get person(): Person {
    return this.state.person ?? this.input.person;
  }

  /** The person as last corrected and the first contact (the workflow's `person` query, for reconciliation). */
  personRecord(): PathwayPersonRecord {
    return { person: { ...this.person }, contact: { ...this.input.contact } };
  }

  /** A drill's handover moment (input.adultAt) holds until a coordinator corrects the birth date. */
  private adultAtOverride(): string | undefined {
    return this.state.person ? undefined : this.input.adultAt;
  }

  private adultAt(): Date {
    const adultAt = this.adultAtOverride();
    return adultAt ? new Date(adultAt) : copenhagenTime(birthdayOf(this.person.birthDate, this.adultAge()), 0);
  }

  /** Age for the playbook's conditions; consistent with the handover moment when a drill sets it. */
  private age(at: Date): number {
    const years = ageOn(this.person.birthDate, at);
    if (!this.adultAtOverride()) return years;
    const adult = this.adultAge();
    return at.getTime() >= this.adultAt().getTime() ? Math.max(years, adult) : Math.min(years, adult - 1);
  }

  private playbookTask(key: string) {
    for (const plan of Object.values(this.playbook.stages)) {
      const found = plan?.tasks.find((t) => t.key === key) ?? plan?.suggested?.find((t) => t.key === key);
      if (found) return found;
    }
    for (const plan of Object.values(this.playbook.onEvent ?? {})) {
      const found = plan?.tasks.find((t) => t.key === key);
      if (found) return found;
    }
    const transition = this.playbook.ageHandover?.transitionPlan?.task;
    return transition?.key === key ? transition : undefined;
  }

  private task(taskId: string): Task | undefined {
    return this.state.tasks.find((t) => t.id === taskId);
  }

  /** A task the handler's validation already found open. */
  private openTask(taskId: string): Task {
    return this.task(taskId)!;
  }

  // ---- answers ---------------------------------------------------------------------------------------------

  status(): PathwayStatus {
    const { state } = this;
    return {
      pathwayId: this.input.pathwayId,
      stage: state.stage,
      ...(state.track ? { track: state.track } : {}),
      district: state.district,
      consent: state.consent,
      ...(state.motivated !== undefined ? { motivated: state.motivated } : {}),
      ...(state.releaseAt ? { expectedReleaseAt: state.releaseAt } : {}),
      playbookVersion: this.playbook.version,
      tasks: state.tasks.map((t) => ({ ...t })),
      waitingTasks: state.waiting.map((w) => ({
        key: w.plan.key,
        agency: w.plan.agency,
        stage: w.stage,
        ...(w.createAt ? { createAt: w.createAt } : {}),
        requires: this.unmetRequirements(w.plan),
      })),
      stalled: state.stalled,
      escalations: state.escalations.map((e) => ({ ...e })),
      version: state.version,
      runs: this.runs,
      ...(state.pendingClosure ? { pendingClosure: { ...state.pendingClosure } } : {}),
      ...(state.reopenableUntil ? { reopenableUntil: state.reopenableUntil } : {}),
      ...(state.priority ? { priority: state.priority } : {}),
    };
  }

  searchAttributes(): PathwaySearchAttributes {
    const { state } = this;
    const flags = {
      stage: state.stage,
      district: state.district,
      overdue: state.tasks.some((t) => isOpen(t) && t.overdue === true),
      stalled: state.stalled,
    };
    if (this.env.patched(PATHWAY_PATCHES.searchAttributesWithoutTrack)) return { ...flags, hidden: true };
    return {
      ...flags,
      agencies: [...new Set(state.tasks.filter(isOpen).map((t) => t.agency))].sort(),
      ...(state.track ? { track: state.track } : {}),
    };
  }

  /**
   * Everything not yet in the read model, as one batch, and forgets it: undefined when there is nothing to write.
   * The first batch carries the person and the contact.
   */
  takeBatch(workflowId: string): PathwayProjection | undefined {
    const { state, playbook } = this;
    if (state.pendingTaskIds.length === 0 && state.pendingTimeline.length === 0 && state.projectedOnce)
      return undefined;
    const escalations = state.pendingEscalationIds.map((id) => ({ ...state.escalations.find((e) => e.id === id)! }));
    const tasks = state.pendingTaskIds.map((id) => ({ ...this.task(id)! }));
    const batch: PathwayProjection = {
      pathwayId: this.input.pathwayId,
      workflowId,
      version: state.version,
      stage: state.stage,
      ...(state.track ? { track: state.track } : {}),
      district: state.district,
      playbookVersion: playbook.version,
      openedAt: state.openedAt,
      stageEnteredAt: state.stageEnteredAt,
      lastProgressAt: state.lastProgressAt,
      consent: state.consent,
      ...(state.motivated !== undefined ? { motivated: state.motivated } : {}),
      ...(state.releaseAt ? { expectedReleaseAt: state.releaseAt } : {}),
      ...(state.closedOutcome ? { closedAt: state.stageEnteredAt, closingOutcome: state.closedOutcome } : {}),
      stalled: state.stalled,
      ...(state.priority ? { priority: state.priority } : {}),
      tasks,
      timeline: state.pendingTimeline,
      escalations,
      notifications: state.pendingNotifications,
      ...(state.projectedOnce ? {} : { person: this.input.person, contact: this.input.contact }),
      ...(state.personCorrected ? { correctedPerson: { ...this.person } } : {}),
    };
    delete state.personCorrected;
    state.pendingTaskIds = [];
    state.pendingTimeline = [];
    state.pendingEscalationIds = [];
    state.pendingNotifications = [];
    state.projectedOnce = true;
    return batch;
  }

  // ---- the record: timeline, changed rows, notifications ---------------------------------------------------

  private record(kind: TimelineKind, detail: Record<string, string>, extra: Partial<TimelineEntry> = {}): void {
    const { state } = this;
    state.version += 1;
    state.timelineSequence += 1;
    state.pendingTimeline.push({
      id: timelineEntryId(this.input.pathwayId, state.timelineSequence),
      sequence: state.timelineSequence,
      at: this.nowIso(),
      kind,
      detail,
      ...extra,
    });
  }

  private touch(task: Task): void {
    if (!this.state.pendingTaskIds.includes(task.id)) this.state.pendingTaskIds.push(task.id);
  }

  /**
   * A message to an agency about the latest timeline entry. Its dedupKey is derived from that entry (the outbox keeps
   * one row per key, so writing a batch twice delivers once); its id, which receivers see, is random, so nobody can
   * guess another pathway's messages. Pathways from before the patch keep the derived id.
   */
  private notify(
    agency: string,
    kind: Notification['kind'],
    extra: { taskId?: string; escalationId?: string } = {},
  ): void {
    const { pathwayId } = this.input;
    const dedupKey = `${pathwayId}:${this.state.timelineSequence}:${agency}`;
    this.state.pendingNotifications.push({
      id: this.env.patched(PATHWAY_PATCHES.randomNotificationIds) ? this.env.newId() : dedupKey,
      dedupKey,
      agency,
      kind,
      pathwayId,
      ...extra,
    });
  }

  private touchEscalation(escalation: Escalation): void {
    if (!this.state.pendingEscalationIds.includes(escalation.id)) this.state.pendingEscalationIds.push(escalation.id);
  }

  // ---- escalations and progress ----------------------------------------------------------------------------

  private raise(kind: Escalation['kind'], level: 1 | 2, agency: string, task?: Task): void {
    const { pathwayId } = this.input;
    const id = !task
      ? `${pathwayId}:stalled:${this.state.lastProgressAt}`
      : kind === 'TASK_NOT_REACHED'
        ? `${task.id}:not-reached`
        : `${task.id}:L${level}:${task.windowStart ?? task.createdAt}`;
    const escalation: Escalation = {
      id,
      pathwayId,
      kind,
      level,
      ...(task ? { taskId: task.id } : {}),
      agency,
      escalatedTo: ESCALATION_TARGETS[level],
      status: 'OPEN',
      raisedAt: this.nowIso(),
    };
    this.state.escalations.push(escalation);
    this.touchEscalation(escalation);
    this.record(
      'ESCALATED',
      { kind, level: String(level), to: escalation.escalatedTo, ...(task ? { key: task.key } : {}) },
      { agency, ...(task ? { taskId: task.id } : {}) },
    );
    this.notify(escalation.escalatedTo, kind === 'PATHWAY_STALLED' ? 'PATHWAY_STALLED' : 'ESCALATION_RAISED', {
      escalationId: id,
      ...(task ? { taskId: task.id } : {}),
    });
  }

  private resolveEscalations(match: (e: Escalation) => boolean, decision: EscalationDecision, note?: string): void {
    for (const escalation of this.state.escalations.filter((e) => e.status === 'OPEN' && match(e))) {
      escalation.status = 'RESOLVED';
      escalation.resolvedAt = this.nowIso();
      escalation.decision = decision;
      if (note) escalation.note = note;
      this.touchEscalation(escalation);
      this.record(
        'ESCALATION_RESOLVED',
        { kind: escalation.kind, level: String(escalation.level), decision },
        { ...(escalation.taskId ? { taskId: escalation.taskId } : {}) },
      );
    }
  }

  /** Work happened: the stall clock restarts and a stall is over. */
  private progress(): void {
    this.state.lastProgressAt = this.nowIso();
    if (this.state.stalled) {
      this.state.stalled = false;
      this.record('PATHWAY_UNSTALLED', {});
      this.resolveEscalations((e) => e.kind === 'PATHWAY_STALLED', 'PROGRESS');
    }
    this.slaChanged();
  }

  // ---- tasks -----------------------------------------------------------------------------------------------

  private unmetRequirements(plan: PlannedTask): string[] {
    return plan.requires.filter((r) =>
      r === 'consent'
        ? !this.state.consent
        : r === 'releaseDate'
          ? !this.state.releaseAt
          : this.state.motivated !== true,
    );
  }

  /**
   * Work the engine never hands out, whatever the playbook says, and why: a task for an investigation unit (purpose
   * limitation), or for an agency that does not serve the person's age. Each patch is asked only for such a plan,
   * so pathways without one ask nothing new.
   */
  private withheld(plan: PlannedTask): string | undefined {
    if (isInvestigationAgency(plan.agency) && this.env.patched(PATHWAY_PATCHES.purposeLimitation))
      return 'PURPOSE_LIMITATION';
    if (!agencyServesAge(plan.agency, this.age(this.now())) && this.env.patched(PATHWAY_PATCHES.ageAppropriateRouting))
      return 'AGE';
    return undefined;
  }

  /** The stage's plans that may be handed out, each the engine withholds recorded with why. */
  private admissible(plans: PlannedTask[]): PlannedTask[] {
    return plans.filter((plan) => {
      const because = this.withheld(plan);
      if (!because) return true;
      this.record('TASK_WITHHELD', { key: plan.key, because });
      return false;
    });
  }

  private createTask(plan: PlannedTask, stage: Stage): Task {
    const { state, playbook } = this;
    const created = this.now();
    const releaseAt = state.releaseAt ? new Date(state.releaseAt) : undefined;
    const { dueAt, compressed } = deadline(plan.due, created, playbook.calendar, releaseAt);
    const task: Task = {
      id: this.env.newId(),
      pathwayId: this.input.pathwayId,
      key: plan.key,
      stage,
      agency: plan.agency,
      type: plan.type,
      title: plan.title,
      status: 'OPEN',
      createdAt: created.toISOString(),
      dueAt: dueAt.toISOString(),
      ...(plan.due.kind === 'beforeRelease' ? { dueRule: plan.due } : {}),
      ...(compressed ? { compressed } : {}),
      ...(plan.requires.length > 0 ? { requires: plan.requires } : {}),
      overdue: false,
      escalationLevel: 0,
      remindersSent: 0,
      windowStart: created.toISOString(),
      reminderShares: reminderShares(plan.reminderShare),
      ...(plan.escalateAfter ? { escalateAfter: plan.escalateAfter } : {}),
      ...(plan.handoverTo ? { handover: { to: plan.handoverTo, state: 'NOT_STARTED' as const } } : {}),
      ...(plan.outcomes ? { outcomes: [...plan.outcomes] } : {}),
    };
    // An under-age agency's task planned after the handover goes straight to the adult agency; work the playbook
    // gives that agency for adults (SSP's parent involvement) stays where the playbook puts it.
    if (state.handedOver && !this.isAdultWork(task.key)) {
      const to = playbook.ageHandover?.agencies[task.agency];
      if (to && !(isInvestigationAgency(to) && this.env.patched(PATHWAY_PATCHES.purposeLimitation))) task.agency = to;
    }
    state.tasks.push(task);
    this.touch(task);
    this.record(
      'TASK_CREATED',
      { key: task.key, stage, ...(compressed ? { compressed: 'true' } : {}) },
      { agency: task.agency, taskId: task.id },
    );
    this.notify(task.agency, 'TASK_ASSIGNED', { taskId: task.id });
    this.slaChanged();
    return task;
  }

  /** `reason` in words for the overseers' timeline; `code` is what the task's agency sees (CANCEL_CODES). */
  private cancel(task: Task, reason: string, code: CancelCode): void {
    delete task.hold;
    task.status = 'CANCELLED';
    task.cancelReason = reason;
    task.cancelCode = code;
    task.completedAt = this.nowIso();
    this.touch(task);
    this.record('TASK_CANCELLED', { key: task.key, reason, code }, { agency: task.agency, taskId: task.id });
    this.resolveEscalations((e) => e.taskId === task.id, 'CANCEL_TASK', reason);
    // A handover is one piece of work in two tasks: neither half may be left hanging by cancelling the other.
    const sender = task.acknowledges ? this.task(task.acknowledges) : undefined;
    const ack = task.handover?.ackTaskId ? this.task(task.handover.ackTaskId) : undefined;
    const follows = () => this.env.patched(PATHWAY_PATCHES.cancelFollowsHandover);
    if (sender && isOpen(sender) && sender.handover?.state === 'AWAITING_ACK' && follows()) {
      // No acknowledgement is coming: the sender still holds the person and may hand over again.
      sender.handover.state = 'NOT_STARTED';
      delete sender.handover.ackTaskId;
      this.touch(sender);
      this.slaChanged();
    }
    if (ack && isOpen(ack) && follows()) this.cancel(ack, reason, code);
  }

  /** Hands over tasks that wait no longer: their time has come and their requirements are met. */
  private releaseWaiting(): void {
    const { state } = this;
    const at = this.now().getTime();
    const ready = state.waiting.filter(
      (w) => (!w.createAt || new Date(w.createAt).getTime() <= at) && this.unmetRequirements(w.plan).length === 0,
    );
    state.waiting = state.waiting.filter((w) => !ready.includes(w));
    for (const w of ready) this.createTask(w.plan, w.stage);
    for (const w of state.waiting) {
      const unmet = this.unmetRequirements(w.plan);
      if (!w.announced && unmet.length > 0) {
        w.announced = true;
        this.record('TASK_WAITING', { key: w.plan.key, waitingFor: unmet.join(', ') }, { agency: w.plan.agency });
      }
    }
  }

  // ---- stages ----------------------------------------------------------------------------------------------

  /** The pathway begins: CONTACT's tasks are planned as any stage's, without a STAGE_CHANGED entry. */
  open(): void {
    const { state, input } = this;
    const { contact, person } = input;
    this.record(
      'PATHWAY_OPENED',
      { stage: state.stage, district: state.district, sourceAgency: contact.sourceAgency },
      { agency: contact.sourceAgency },
    );
    const at = this.now();
    for (const plan of this.admissible(
      planStageTasks(this.playbook, 'CONTACT', {
        now: at,
        age: this.age(at),
        livesWithParents: person.livesWithParents,
      }),
    )) {
      state.waiting.push({ plan, stage: 'CONTACT', announced: false });
    }
    this.releaseWaiting();
  }

  private enterStage(next: Stage): void {
    const { state, playbook } = this;
    const from = state.stage;
    state.stage = next;
    state.stageEnteredAt = this.nowIso();
    this.progress();
    this.record('STAGE_CHANGED', { from, to: next });
    // Work planned for the stage being left and not yet handed out is moot now.
    state.waiting = [];
    const at = this.now();
    const planned = planStageTasks(playbook, next, this.planningContext(at));
    // A task still open from an earlier stay in this stage (re-arrest) covers the new one. Pathways started
    // before this rule keep planning as they did, so their histories replay unchanged.
    const openKeys = this.env.patched(PATHWAY_PATCHES.skipPlannedTasksAlreadyOpen)
      ? new Set(state.tasks.filter(isOpen).map((t) => t.key))
      : new Set<string>();
    for (const plan of this.admissible(planned.filter((p) => !openKeys.has(p.key)))) {
      state.waiting.push({
        plan,
        stage: next,
        ...(plan.startAfter ? { createAt: dueFrom(plan.startAfter, at, playbook.calendar).toISOString() } : {}),
        announced: false,
      });
    }
    this.releaseWaiting();
    this.dirty = true;
  }

  private planningContext(at: Date): PlanningContext {
    const { state } = this;
    return {
      now: at,
      age: this.age(at),
      livesWithParents: this.person.livesWithParents,
      track: state.track,
      releaseAt: state.releaseAt ? new Date(state.releaseAt) : undefined,
    };
  }

  /** After a command: the stage its tasks lead to (all done in ASSESSMENT, …). */
  settle(): void {
    this.withdrawInvestigationWork();
    const { state } = this;
    const next = stageAfterTasks(state.stage, state.tasks);
    if (next) this.enterStage(next);
    else if (
      stageAfterTasks(state.stage, state.tasks, { ignoreAdHoc: true }) &&
      this.env.patched(PATHWAY_PATCHES.adHocDoesNotHoldStage)
    )
      // Only ad-hoc work is open: it goes on in the next stage, where it stays in its agency's queue.
      this.enterStage(stageAfterTasks(state.stage, state.tasks, { ignoreAdHoc: true })!);
  }

  /** Purpose limitation for pathways that began before it: an investigation unit's open task ends, neutrally. */
  private withdrawInvestigationWork(): void {
    const open = this.state.tasks.filter((t) => isOpen(t) && isInvestigationAgency(t.agency));
    if (open.length === 0 || !this.env.patched(PATHWAY_PATCHES.withdrawInvestigationWork)) return;
    for (const task of open) this.cancel(task, 'purpose limitation: no work for investigation units', 'NOT_NEEDED');
    this.slaChanged();
  }

  /**
   * The earliest birthday past an agency's ages (UU's 25th) at which work given to it before then is still open, and
   * that work.
   */
  private outgrownWork(): { at: Date; tasks: Task[] } | undefined {
    let earliest: { at: Date; tasks: Task[] } | undefined;
    for (const task of this.state.tasks.filter(isOpen)) {
      const max = AGENCY_AGES[task.agency]?.max;
      if (max === undefined) continue;
      const at = copenhagenTime(birthdayOf(this.input.person.birthDate, max + 1), 0);
      // Work given after that birthday was given knowingly (an ad-hoc task): it stays.
      if (at.getTime() <= Date.parse(task.createdAt)) continue;
      if (!earliest || at.getTime() < earliest.at.getTime()) earliest = { at, tasks: [task] };
      else if (at.getTime() === earliest.at.getTime()) earliest.tasks.push(task);
    }
    if (!earliest || !this.env.patched(PATHWAY_PATCHES.ageLimitEndsWork)) return undefined;
    return earliest;
  }

  /** At the birthday past an agency's ages its open work ends: it no longer serves the person. */
  private endOutgrownWork(at: number): void {
    const outgrown = this.outgrownWork();
    if (!outgrown || outgrown.at.getTime() > at) return;
    for (const task of outgrown.tasks)
      this.cancel(task, `${task.agency} serves people up to ${AGENCY_AGES[task.agency]!.max} years`, 'NOT_NEEDED');
    this.slaChanged();
  }

  /** Every deadline that hangs on the release date follows it. */
  private moveReleaseDeadlines(): void {
    const { state } = this;
    const releaseAt = state.releaseAt ? new Date(state.releaseAt) : undefined;
    for (const task of state.tasks.filter((t) => isOpen(t) && t.dueRule)) {
      const next = deadline(task.dueRule!, new Date(task.createdAt), this.playbook.calendar, releaseAt);
      const dueAt = next.dueAt.toISOString();
      if (next.compressed) task.compressed = true;
      else delete task.compressed;
      if (dueAt === task.dueAt) continue;
      const from = task.dueAt;
      task.dueAt = dueAt;
      this.touch(task);
      this.record(
        'DEADLINE_MOVED',
        { key: task.key, from, to: dueAt, because: 'RELEASE_DATE_CHANGED' },
        { taskId: task.id, agency: task.agency },
      );
      // A deadline moved back into the future is not overdue any more: the ladder starts again, as after an
      // extension, and what was raised for the old deadline is answered.
      const wasLate = task.overdue || (task.escalationLevel ?? 0) > 0;
      if (
        wasLate &&
        Date.parse(dueAt) > this.now().getTime() &&
        this.env.patched(PATHWAY_PATCHES.releaseMoveRestartsLadder)
      ) {
        task.windowStart = this.nowIso();
        task.remindersSent = 0;
        task.overdue = false;
        task.escalationLevel = 0;
        this.resolveEscalations((e) => e.taskId === task.id, 'EXTEND', 'the release date moved');
        this.slaChanged();
      }
    }
  }

  // ---- timers: all derived from the state ------------------------------------------------------------------

  private planningStartsAt(): Date | undefined {
    if (this.state.stage !== 'CUSTODY' || !this.state.releaseAt) return undefined;
    return releasePlanningStart(this.playbook, new Date(this.state.releaseAt));
  }

  /** When the playbook's transition plan is due: months before the age handover, while the person is a minor. */
  private transitionAt(): Date | undefined {
    const plan = this.playbook.ageHandover?.transitionPlan;
    const { state } = this;
    if (!plan || state.transitionPlanned || state.handedOver || this.closed) return undefined;
    const adultAt = this.adultAt();
    if (this.now().getTime() >= adultAt.getTime()) return undefined;
    const { before } = plan;
    if (before.kind === 'duration') return new Date(adultAt.getTime() - before.seconds * 1000);
    if (this.adultAtOverride()) {
      const at = new Date(adultAt);
      at.setUTCMonth(at.getUTCMonth() - before.months);
      return at;
    }
    const birthday = birthdayOf(this.person.birthDate, this.adultAge());
    return copenhagenTime(monthsBefore(birthday, before.months), 0);
  }

  /** The move to adult agencies is prepared in the stage the pathway is in. */
  private planTransition(): void {
    const { state } = this;
    state.transitionPlanned = true;
    const task = this.playbook.ageHandover!.transitionPlan!.task;
    const at = this.now();
    for (const plan of this.admissible([planTask(this.playbook, task, this.planningContext(at))]))
      this.createTask(plan, state.stage);
    this.dirty = true;
  }

  private handoverAt(): Date | undefined {
    if (this.state.handedOver || !this.playbook.ageHandover) return undefined;
    return this.adultAt();
  }

  /** A handover waiting for its receiver is the receiver's to act on: the sender's clock stands still. */
  private taskTimer(task: Task): TaskTimer | undefined {
    // On hold: the clock stands still until it returns (fireDueTimers), so nothing reminds, falls due or escalates.
    if (!isOpen(task) || task.handover?.state === 'AWAITING_ACK' || task.hold) return undefined;
    return nextTaskTimer(
      {
        createdAt: task.createdAt,
        dueAt: task.dueAt,
        windowStart: task.windowStart,
        remindersSent: task.remindersSent ?? 0,
        escalationLevel: task.escalationLevel ?? 0,
        reminderShares: task.reminderShares ?? [],
        escalateAfter: task.escalateAfter,
      },
      this.playbook.calendar,
    );
  }

  private stallAt(): Date | undefined {
    const { state } = this;
    if (state.stalled || state.stage === 'CLOSED' || this.playbook.stages[state.stage]?.stalls === false)
      return undefined;
    // A finished prevention case: its work is done and nothing more is planned; it waits for a closure.
    if (
      state.track !== undefined &&
      PREVENTION_TRACKS.includes(state.track) &&
      !state.tasks.some(isOpen) &&
      state.waiting.length === 0 &&
      this.env.patched(PATHWAY_PATCHES.finishedPreventionNeverStalls)
    )
      return undefined;
    // Nothing open and the next step already scheduled (release planning, follow-ups): waiting, not stalled.
    if (!state.tasks.some(isOpen) && (this.planningStartsAt() || state.waiting.some((w) => w.createAt)))
      return undefined;
    return dueFrom(
      this.playbook.stallAfter ?? { kind: 'calendarDays', days: 30 },
      new Date(state.lastProgressAt),
      this.playbook.calendar,
    );
  }

  /** The earliest instant (ms) something is due: release planning, the age handover, a ladder step, a stall. */
  nextWakeUp(): number | undefined {
    // Closed and waiting for a reopen: the only thing due is the end of that window.
    if (this.closed) return this.state.reopenableUntil ? Date.parse(this.state.reopenableUntil) : undefined;
    const sla = this.slaTimers();
    const times = [
      this.planningStartsAt(),
      this.transitionAt(),
      this.handoverAt(),
      this.outgrownWork()?.at,
      ...this.state.tasks.filter((t) => isOpen(t) && t.hold).map((t) => new Date(t.hold!.until)),
      ...(sla ? [this.stallAt(), ...this.state.tasks.map((t) => this.taskTimer(t)?.at)] : []),
      // Work that also waits for consent or motivation is woken by that event, not by its start time: a start time
      // already past would otherwise wake the loop again at once, forever.
      ...this.state.waiting
        .filter(
          (w) =>
            w.createAt &&
            (!this.env.patched(PATHWAY_PATCHES.waitOnlyForReadyWork) || this.unmetRequirements(w.plan).length === 0),
        )
        .map((w) => new Date(w.createAt!)),
    ]
      .filter((d): d is Date => d !== undefined)
      .map((d) => d.getTime());
    return times.length > 0 ? Math.min(...times) : undefined;
  }

  private fireTaskTimers(at: number): void {
    for (const task of this.state.tasks) {
      // Several steps of the ladder can be due at once (a worker that was down): take them in order.
      for (let timer = this.taskTimer(task); timer && timer.at.getTime() <= at; timer = this.taskTimer(task)) {
        switch (timer.kind) {
          case 'REMINDER':
            task.remindersSent = timer.index + 1;
            this.record(
              'TASK_REMINDED',
              { key: task.key, reminder: String(timer.index + 1) },
              { agency: task.agency, taskId: task.id },
            );
            this.notify(task.agency, 'TASK_REMINDER', { taskId: task.id });
            break;
          case 'OVERDUE':
            task.overdue = true;
            task.escalationLevel = 1;
            this.record('TASK_OVERDUE', { key: task.key, dueAt: task.dueAt }, { agency: task.agency, taskId: task.id });
            this.notify(task.agency, 'TASK_OVERDUE', { taskId: task.id });
            this.raise('TASK_OVERDUE', 1, task.agency, task);
            break;
          case 'LEVEL2':
            task.escalationLevel = 2;
            this.raise('TASK_OVERDUE', 2, task.agency, task);
            break;
        }
        this.touch(task);
      }
    }
  }

  /** Does whatever is due by now: ladder steps, a stall, the age handover, release planning, delayed work. */
  fireDueTimers(): void {
    const { state } = this;
    if (this.closed) return;
    const at = this.now().getTime();
    this.withdrawInvestigationWork();
    // Held tasks whose date has come return first, so their ladder goes on from the moved deadline.
    for (const task of state.tasks.filter((t) => isOpen(t) && t.hold && Date.parse(t.hold.until) <= at))
      this.resume(task, 'DATE_REACHED', task.agency);
    if (this.slaTimers()) this.fireTaskTimers(at);
    const stall = this.slaTimers() ? this.stallAt() : undefined;
    if (stall && stall.getTime() <= at) {
      state.stalled = true;
      this.record('PATHWAY_STALLED', { since: state.lastProgressAt });
      this.raise('PATHWAY_STALLED', 1, 'OPERATIVE_GROUP');
    }
    const transition = this.transitionAt();
    if (transition && transition.getTime() <= at) this.planTransition();
    const handover = this.handoverAt();
    if (handover && handover.getTime() <= at) this.handOverToAdultAgencies();
    this.endOutgrownWork(at);
    const planning = this.planningStartsAt();
    if (planning && planning.getTime() <= at) this.enterStage('RELEASE_PLANNING');
    if (state.waiting.some((w) => w.createAt && new Date(w.createAt).getTime() <= at)) this.releaseWaiting();
  }

  private handOverToAdultAgencies(): void {
    this.state.handedOver = true;
    const agencies = this.playbook.ageHandover?.agencies ?? {};
    const receives = (to: string) =>
      !(isInvestigationAgency(to) && this.env.patched(PATHWAY_PATCHES.purposeLimitation));
    for (const task of this.state.tasks.filter(
      (t) => isOpen(t) && agencies[t.agency] && !this.isAdultWork(t.key) && receives(agencies[t.agency]),
    )) {
      const from = task.agency;
      task.agency = agencies[from];
      // The new agency has not claimed it: the person it was claimed by works elsewhere.
      if (task.status === 'CLAIMED') task.status = 'OPEN';
      delete task.assignee;
      this.touch(task);
      this.record(
        'TASK_HANDED_OVER',
        { key: task.key, from, to: task.agency, because: `AGE_${this.adultAge()}` },
        { taskId: task.id, agency: task.agency },
      );
      this.notify(task.agency, 'TASK_ASSIGNED', { taskId: task.id });
    }
    this.dirty = true;
  }

  // ---- refusals: the pure functions in refusals.ts, fed from this state ------------------------------------

  private facts(taskId: string) {
    const task = this.task(taskId);
    return task ? taskFacts(task) : undefined;
  }

  /**
   * `checkOwner` and `checkOutcome` (a TaskOutcome the task allows) only in the update validator: histories from
   * before those rules replay without them.
   */
  refuseCompleteTask(command: CompleteTaskInput, { checkOwner = true, checkOutcome = true } = {}): Refusal | undefined {
    return completeTaskRefusal(this.facts(command.taskId), command, { checkOwner, checkOutcome });
  }

  refuseClaimTask(command: ClaimTaskInput): Refusal | undefined {
    return claimTaskRefusal(this.facts(command.taskId), command);
  }

  refuseAssignTask(command: AssignTaskInput): Refusal | undefined {
    return byRole('task.assign', command.requestedByRoles) ?? assignTaskRefusal(this.facts(command.taskId), command);
  }

  refuseUnclaimTask(command: TaskCommand): Refusal | undefined {
    return unclaimTaskRefusal(this.facts(command.taskId), command);
  }

  refuseReassignTask(command: ReassignTaskInput): Refusal | undefined {
    return (
      byRole('task.reassign', command.requestedByRoles) ?? reassignTaskRefusal(this.facts(command.taskId), command)
    );
  }

  refuseExtendTask(command: ExtendTaskInput): Refusal | undefined {
    return (
      byRole('task.extend', command.requestedByRoles) ??
      extendTaskRefusal(this.facts(command.taskId), command, this.now())
    );
  }

  refuseHoldTask(command: HoldTaskInput): Refusal | undefined {
    return holdTaskRefusal(this.facts(command.taskId), command, this.now());
  }

  refuseResumeTask(command: TaskCommand): Refusal | undefined {
    return resumeTaskRefusal(this.facts(command.taskId), command);
  }

  refuseCancelTask(command: CancelTaskInput): Refusal | undefined {
    return byRole('task.cancel', command.requestedByRoles) ?? cancelTaskRefusal(this.facts(command.taskId), command);
  }

  refuseResolveEscalation(command: ResolveEscalationInput): Refusal | undefined {
    const forbidden = byRole('escalation.resolve', command.requestedByRoles);
    if (forbidden) return forbidden;
    const escalation = this.state.escalations.find((e) => e.id === command.escalationId);
    const task = escalation?.taskId ? this.facts(escalation.taskId) : undefined;
    return resolveEscalationRefusal(escalation, task, command, this.now());
  }

  /**
   * `checkReleaseInPast` and `checkAge` only in the update validator: the handler runs again on replay, at a later
   * time, and histories from before the age rule (Exit refused under 18) must replay as they ran. `checkRepeats`
   * is 'patched' in the handler: a repeated fact is refused there only behind PATHWAY_PATCHES.refuseRepeatedFacts,
   * asked only when the event is a repeat (so no other history gains a marker).
   */
  refuseRecordEvent(
    event: PathwayEvent,
    {
      checkReleaseInPast = true,
      checkAge = true,
      checkRepeats = true,
    }: { checkReleaseInPast?: boolean; checkAge?: boolean; checkRepeats?: boolean | 'patched' } = {},
  ): Refusal | undefined {
    const { type, ...fields } = event.data;
    // Who may comes before what the state allows (libs/domain/src/policy.ts); old events carry no roles.
    const forbidden = event.recordedByRoles && eventTypeRefusal(type, event.recordedByRoles);
    if (forbidden) return { type: FailureType.NotAllowed, message: forbidden };
    const { state } = this;
    const pathway = {
      stage: state.stage,
      hasReleaseDate: state.releaseAt !== undefined,
      // A state from before the fact was kept: custody without a release date is a remand.
      arrestPending: state.arrestPending ?? (state.stage === 'CUSTODY' && !state.releaseAt),
      sentenced: state.sentence !== undefined,
      ...(state.pendingClosure ? { pendingClosure: state.pendingClosure } : {}),
      ...(checkAge ? { age: this.age(this.now()) } : {}),
    };
    const refused = recordEventRefusal(pathway, type, fields, checkReleaseInPast ? this.now() : undefined);
    if (refused || checkRepeats === false) return refused;
    const repeats = {
      consent: state.consent,
      ...(state.sentence ? { sentence: { ...state.sentence, releaseAt: state.releaseAt } } : {}),
    };
    const repeated = repeatedFactRefusal(repeats, type, fields);
    if (repeated && (checkRepeats === true || this.env.patched(PATHWAY_PATCHES.refuseRepeatedFacts))) return repeated;
    return undefined;
  }

  refuseAddTask(command: AddTaskInput): Refusal | undefined {
    return (
      byRole('pathway.add-task', command.requestedByRoles) ??
      addTaskRefusal({ stage: this.state.stage }, command, this.now())
    );
  }

  /** The stage's optional steps a coordinator may add now (none once closed). */
  suggestions(): PlannedTask[] {
    const { state } = this;
    if (this.closed) return [];
    const open = new Set(state.tasks.filter(isOpen).map((t) => t.key));
    return suggestedTasks(this.playbook, state.stage, this.planningContext(this.now()), open);
  }

  refuseAddSuggestedTask(command: AddSuggestedTaskInput): Refusal | undefined {
    return (
      byRole('pathway.add-task', command.requestedByRoles) ??
      addSuggestedTaskRefusal({ stage: this.state.stage, suggested: this.suggestions().map((p) => p.key) }, command)
    );
  }

  refuseDecideClosure(command: DecideClosureInput): Refusal | undefined {
    const action = command.decision === 'REJECT' ? 'pathway.reject-closure' : 'pathway.confirm-closure';
    return (
      byRole(action, command.requestedByRoles) ??
      decideClosureRefusal({ stage: this.state.stage, pendingClosure: this.state.pendingClosure }, command)
    );
  }

  refuseReopen(command: ReopenPathwayInput): Refusal | undefined {
    const { state } = this;
    const pathway = {
      stage: state.stage,
      ...(state.closedOutcome ? { closedAt: state.stageEnteredAt } : {}),
      ...(state.reopenableUntil ? { reopenableUntil: state.reopenableUntil } : {}),
    };
    return byRole('pathway.reopen', command.requestedByRoles) ?? reopenRefusal(pathway, command, this.now());
  }

  refuseCorrectPerson(command: CorrectPersonInput): Refusal | undefined {
    return (
      byRole('person.correct', command.requestedByRoles) ??
      correctPersonRefusal({ stage: this.state.stage, person: this.person }, command, this.now())
    );
  }

  refuseRecordMeetingDecision(command: RecordMeetingDecisionInput): Refusal | undefined {
    const { state } = this;
    const decided = state.meetingDecisions?.[command.itemId];
    const pathway = {
      stage: state.stage,
      ...(decided ? { decided } : {}),
      ...(state.priority ? { priority: state.priority } : {}),
      ...(state.pendingClosure ? { pendingClosure: state.pendingClosure } : {}),
    };
    return byRole('meeting.decide', command.requestedByRoles) ?? meetingDecisionRefusal(pathway, command);
  }

  refuseMigratePlaybook(command: MigratePlaybookInput): Refusal | undefined {
    return (
      byRole('pathway.migrate-playbook', command.requestedByRoles) ??
      migratePlaybookRefusal({ stage: this.state.stage, playbookVersion: this.playbook.version }, command)
    );
  }

  // ---- commands: each assumes its refusal function let it through ------------------------------------------

  /** Completing a handover asks the receiver to acknowledge; completing the acknowledgement lets the sender go. */
  completeTask({ taskId, outcome, completedBy, note }: CompleteTaskInput): void {
    const task = this.openTask(taskId);
    // Completing a held task is allowed (the person got in touch before the date): the hold ends with the work.
    delete task.hold;
    if (note !== undefined) task.note = note.trim();
    if (isTaskOutcome(outcome) && outcome !== 'DONE' && this.env.patched(PATHWAY_PATCHES.taskOutcomes)) {
      this.endWithOutcome(task, outcome, completedBy);
      return;
    }
    task.outcome = outcome.trim();
    this.progress();
    this.touch(task);
    if (task.handover && task.handover.state === 'NOT_STARTED') {
      task.handover.state = 'AWAITING_ACK';
      const plan = this.playbookTask(task.key);
      const ack = this.createTask(
        {
          key: `${task.key}-ack`,
          agency: task.handover.to,
          type: 'HANDOVER_ACK',
          title: `Bekræft overtagelse: ${task.title}`,
          due: plan?.acknowledgeWithin ?? { kind: 'workingDays', days: 2 },
          dueAt: this.now(),
          requires: [],
          reminderShare: plan?.reminderShare,
          escalateAfter: plan?.escalateAfter,
        },
        task.stage,
      );
      ack.acknowledges = task.id;
      task.handover.ackTaskId = ack.id;
      this.record(
        'HANDOVER_REQUESTED',
        { key: task.key, from: task.agency, to: ack.agency },
        { agency: completedBy, taskId },
      );
      this.notify(ack.agency, 'HANDOVER_REQUESTED', { taskId: ack.id });
      return;
    }
    task.status = 'DONE';
    task.completedAt = this.nowIso();
    task.completedBy = completedBy;
    this.record('TASK_COMPLETED', { key: task.key, outcome: task.outcome }, { agency: completedBy, taskId });
    this.resolveEscalations((e) => e.taskId === task.id, 'TASK_DONE');
    const sender = task.acknowledges ? this.task(task.acknowledges) : undefined;
    if (sender && isOpen(sender) && sender.handover) {
      sender.handover.state = 'ACKNOWLEDGED';
      sender.status = 'DONE';
      sender.completedAt = this.nowIso();
      sender.completedBy = sender.agency;
      this.touch(sender);
      this.record(
        'HANDOVER_ACKNOWLEDGED',
        { key: sender.key, from: sender.agency, to: completedBy },
        { agency: completedBy, taskId: sender.id },
      );
      this.resolveEscalations((e) => e.taskId === sender.id, 'TASK_DONE');
    }
  }

  /**
   * DECLINED, NOT_REACHED or NOT_RELEVANT: the task ends without its work (a handover is not started). The person not
   * reached gets another attempt while the playbook allows one; after the last, the operative group decides.
   */
  private endWithOutcome(task: Task, outcome: Exclude<TaskOutcome, 'DONE'>, completedBy: string): void {
    this.progress();
    this.touch(task);
    if (outcome === 'NOT_REACHED' && this.retryNotReached(task, completedBy)) return;
    task.outcome = outcome;
    task.status = 'DONE';
    task.completedAt = this.nowIso();
    task.completedBy = completedBy;
    const at = { agency: completedBy, taskId: task.id };
    this.record('TASK_COMPLETED', { key: task.key, outcome }, at);
    this.resolveEscalations((e) => e.taskId === task.id, 'TASK_DONE');
    // The refusal is a fact of the pathway the coordinators plan by, not only of the task.
    if (outcome === 'DECLINED') this.record('OFFER_DECLINED', { key: task.key }, at);
    if (outcome === 'NOT_REACHED') this.raise('TASK_NOT_REACHED', 1, task.agency, task);
  }

  /**
   * An ad-hoc task in the current stage, with the deadline the coordinator set: the ladder (reminder, overdue,
   * escalation) runs on it like on any task. A new command, so no history from before it can take this path.
   */
  addTask(command: AddTaskInput): void {
    const plan: PlannedTask = {
      key: AD_HOC_TASK_KEY,
      agency: command.agency,
      type: 'AD_HOC',
      title: command.title.trim(),
      dueAt: new Date(command.dueAt),
      due: { kind: 'calendarDays', days: 0 },
      requires: [],
    };
    const task = this.createTask(plan, this.state.stage);
    task.dueAt = new Date(command.dueAt).toISOString();
    this.progress();
  }

  /**
   * A suggested step a coordinator decided is needed: created as the playbook plans it, in the current stage. A new
   * command, so no history from before it can take this path.
   */
  addSuggestedTask(command: AddSuggestedTaskInput): void {
    const plan = this.suggestions().find((p) => p.key === command.key)!;
    this.record('SUGGESTION_ADDED', { key: plan.key }, { agency: command.requestedBy });
    this.createTask(plan, this.state.stage);
    this.progress();
  }

  /** Another attempt with a new deadline, the ladder from the start; false when the attempts are used up. */
  private retryNotReached(task: Task, completedBy: string): boolean {
    const rule = this.playbookTask(task.key)?.notReached ?? DEFAULT_NOT_REACHED;
    const attempt = task.attempt ?? 1;
    if (attempt >= rule.attempts) return false;
    task.attempt = attempt + 1;
    task.dueAt = dueFrom(rule.retryAfter, this.now(), this.playbook.calendar).toISOString();
    task.windowStart = this.nowIso();
    task.remindersSent = 0;
    task.overdue = false;
    task.escalationLevel = 0;
    delete task.dueRule;
    this.record(
      'TASK_RETRY_PLANNED',
      { key: task.key, outcome: 'NOT_REACHED', attempt: String(task.attempt), dueAt: task.dueAt },
      { agency: completedBy, taskId: task.id },
    );
    this.resolveEscalations((e) => e.taskId === task.id, 'EXTEND', 'not reached: another attempt');
    this.slaChanged();
    return true;
  }

  /**
   * On hold until the start of the chosen day: out of the active queue, no ladder step until it returns. Holding a
   * held task again changes its date and reason and keeps the time it has been held since. The timeline says when it
   * returns, never why (the reason and note stay on the task, for its agency).
   */
  holdTask(command: HoldTaskInput): void {
    if (!this.env.patched(PATHWAY_PATCHES.onHold)) return;
    const task = this.openTask(command.taskId);
    const note = command.note?.trim();
    task.hold = {
      until: holdEndsAt(command.until)!.toISOString(),
      reason: command.reason as NonNullable<Task['hold']>['reason'],
      ...(note ? { note } : {}),
      since: task.hold?.since ?? this.nowIso(),
    };
    this.touch(task);
    this.record(
      'TASK_HELD',
      { key: task.key, until: task.hold.until },
      { agency: command.requestedBy, taskId: task.id },
    );
    this.dirty = true;
  }

  resumeTask(command: TaskCommand): void {
    this.resume(this.openTask(command.taskId), 'RESUMED', command.requestedBy);
  }

  /**
   * Back in the queue: the deadline and the ladder's window move by the time on hold, so the task has as long left as
   * when it was held and its reminders and escalations come that much later. A deadline that followed the release
   * date no longer does (as after an extension): the hold moved it.
   */
  private resume(task: Task, because: 'DATE_REACHED' | 'RESUMED', by: string): void {
    const hold = task.hold!;
    delete task.hold;
    const held = Math.max(0, this.now().getTime() - Date.parse(hold.since));
    const later = (iso: string) => new Date(Date.parse(iso) + held).toISOString();
    task.dueAt = later(task.dueAt);
    task.windowStart = later(task.windowStart ?? task.createdAt);
    delete task.dueRule;
    this.touch(task);
    this.record('TASK_RESUMED', { key: task.key, because, dueAt: task.dueAt }, { agency: by, taskId: task.id });
    this.dirty = true;
  }

  claimTask(command: ClaimTaskInput): void {
    const task = this.openTask(command.taskId);
    task.status = 'CLAIMED';
    task.assignee = command.assignee.trim();
    this.touch(task);
    this.record('TASK_CLAIMED', { key: task.key, assignee: task.assignee }, { agency: task.agency, taskId: task.id });
  }

  /**
   * A team lead's assignment, of an open task or from one colleague to another. It is a claim in the assignee's name
   * (TASK_CLAIMED, so the first claim time and the queue-time figures count it) that says who assigned it.
   */
  assignTask(command: AssignTaskInput): void {
    const task = this.openTask(command.taskId);
    const previous = task.assignee;
    task.status = 'CLAIMED';
    task.assignee = command.assignee.trim();
    this.touch(task);
    this.record(
      'TASK_CLAIMED',
      {
        key: task.key,
        assignee: task.assignee,
        assignedBy: command.assignedBy,
        ...(previous ? { previousAssignee: previous } : {}),
      },
      { agency: task.agency, taskId: task.id },
    );
  }

  unclaimTask(command: TaskCommand): void {
    const task = this.openTask(command.taskId);
    const assignee = task.assignee ?? '';
    task.status = 'OPEN';
    delete task.assignee;
    this.touch(task);
    this.record('TASK_UNCLAIMED', { key: task.key, assignee }, { agency: command.requestedBy, taskId: task.id });
  }

  reassignTask(command: ReassignTaskInput): void {
    this.reassign(this.openTask(command.taskId), command.toAgency, command.reason.trim(), command.requestedBy);
  }

  private reassign(task: Task, toAgency: string, reason: string, requestedBy: string): void {
    const from = task.agency;
    task.agency = toAgency;
    task.status = 'OPEN';
    delete task.assignee;
    this.touch(task);
    this.record(
      'TASK_REASSIGNED',
      { key: task.key, from, to: toAgency, reason },
      { agency: requestedBy, taskId: task.id },
    );
    this.notify(toAgency, 'TASK_ASSIGNED', { taskId: task.id });
    this.resolveEscalations((e) => e.taskId === task.id, 'REASSIGN', reason);
  }

  extendTask(command: ExtendTaskInput): void {
    this.extend(this.openTask(command.taskId), command.dueAt, command.reason.trim(), command.requestedBy);
  }

  /** A new deadline restarts the ladder: reminders count from now, escalations so far are answered. */
  private extend(task: Task, dueAt: string, reason: string, requestedBy: string): void {
    const from = task.dueAt;
    task.dueAt = new Date(dueAt).toISOString();
    task.windowStart = this.nowIso();
    task.remindersSent = 0;
    task.overdue = false;
    task.escalationLevel = 0;
    // The deadline no longer follows the release date: the operative group set it.
    delete task.dueRule;
    // Set while held: the new deadline moves by the time still on hold, not by the time held before it was set.
    if (task.hold) task.hold.since = this.nowIso();
    this.touch(task);
    this.record(
      'DEADLINE_EXTENDED',
      { key: task.key, from, to: task.dueAt, reason },
      { agency: requestedBy, taskId: task.id },
    );
    this.resolveEscalations((e) => e.taskId === task.id, 'EXTEND', reason);
    this.slaChanged();
  }

  cancelTask(command: CancelTaskInput): void {
    this.cancel(this.openTask(command.taskId), command.reason.trim(), 'NOT_NEEDED');
  }

  /** The decision acts on the task; the escalation (and the task's others) are answered by it. */
  resolveEscalation(command: ResolveEscalationInput): void {
    const escalation = this.state.escalations.find((e) => e.id === command.escalationId)!;
    const task = escalation.taskId ? this.task(escalation.taskId) : undefined;
    const note = command.note.trim();
    if (command.decision === 'EXTEND' && task) this.extend(task, command.dueAt!, note, command.requestedBy);
    if (command.decision === 'REASSIGN' && task) this.reassign(task, command.toAgency!, note, command.requestedBy);
    if (command.decision === 'CANCEL_TASK' && task) this.cancel(task, note, 'NOT_NEEDED');
    this.resolveEscalations((e) => e.id === escalation.id, command.decision, note);
  }

  /**
   * A coordinator corrects the name or birth date. The timeline says which fields changed and whether the person's
   * age group did, never the values. A new birth date re-plans the work that hangs on the age (behind
   * PATHWAY_PATCHES.personCorrection, asked only then): see replanForAge.
   */
  correctPerson(command: CorrectPersonInput): void {
    const { state } = this;
    const before = this.person;
    const wasMinor = this.age(this.now()) < this.adultAge();
    const name = command.name?.trim();
    const fields = [
      ...(name !== undefined && name !== before.name ? ['name'] : []),
      ...(command.birthDate !== undefined && command.birthDate !== before.birthDate ? ['birthDate'] : []),
    ];
    state.person = {
      ...before,
      ...(name !== undefined ? { name } : {}),
      ...(command.birthDate !== undefined ? { birthDate: command.birthDate } : {}),
    };
    state.personCorrected = true;
    const isMinor = this.age(this.now()) < this.adultAge();
    this.record(
      'PERSON_CORRECTED',
      { fields: fields.join(','), ...(wasMinor !== isMinor ? { ageGroup: isMinor ? 'MINOR' : 'ADULT' } : {}) },
      { agency: command.requestedBy },
    );
    if (fields.includes('birthDate') && this.env.patched(PATHWAY_PATCHES.personCorrection)) this.replanForAge();
    this.dirty = true;
  }

  /**
   * Work that does not fit the person's age any more: playbook work outside its minAge/maxAge, or for an agency
   * that does not serve the age (AGENCY_AGES), unless the age handover moves that agency's work on. Ad-hoc tasks
   * stay: a coordinator chose their agency.
   */
  private unfitForAge(key: string, agency: string, age: number): boolean {
    if (key === AD_HOC_TASK_KEY) return false;
    const when = this.playbookTask(key)?.when;
    if (when?.minAge !== undefined && age < when.minAge) return true;
    if (when?.maxAge !== undefined && age > when.maxAge) return true;
    const handedOn = age >= this.adultAge() && this.playbook.ageHandover?.agencies[agency] !== undefined;
    return !agencyServesAge(agency, age) && !handedOn;
  }

  /**
   * After a corrected birth date: a person found to be a minor gets back the agencies the age handover had moved
   * work to, loses adult-only work (Exit, Jobcenter, adult Kriminalforsorgen tasks) and gets the transition plan and
   * the handover at the new 17½ and 18th birthday; a transition plan already handed out for a birthday now further
   * off is cancelled and planned again at its time. A person found to be an adult is handed over at once (the
   * handover's time has passed, so the next wake-up does it) and loses work for minors only. Waiting work that does
   * not fit the age is withheld. The cancelled tasks carry NOT_NEEDED.
   */
  private replanForAge(): void {
    const { state, playbook } = this;
    const now = this.now();
    const age = this.age(now);
    const because = 'the birth date was corrected';
    if (age < this.adultAge()) {
      if (state.handedOver) {
        state.handedOver = false;
        const back = new Map(Object.entries(playbook.ageHandover?.agencies ?? {}).map(([from, to]) => [to, from]));
        for (const task of state.tasks.filter((t) => isOpen(t) && back.has(t.agency) && !this.isAdultWork(t.key))) {
          const from = task.agency;
          task.agency = back.get(from)!;
          if (task.status === 'CLAIMED') task.status = 'OPEN';
          delete task.assignee;
          this.touch(task);
          this.record(
            'TASK_HANDED_OVER',
            { key: task.key, from, to: task.agency, because: 'BIRTH_DATE_CORRECTED' },
            { taskId: task.id, agency: task.agency },
          );
          this.notify(task.agency, 'TASK_ASSIGNED', { taskId: task.id });
        }
      }
      const transitionKey = playbook.ageHandover?.transitionPlan?.task.key;
      if (state.transitionPlanned) {
        const planned = state.tasks.filter((t) => isOpen(t) && t.key === transitionKey);
        state.transitionPlanned = false;
        const due = this.transitionAt();
        if (due && due.getTime() > now.getTime()) for (const t of planned) this.cancel(t, because, 'NOT_NEEDED');
        else if (planned.length > 0) state.transitionPlanned = true;
      }
    }
    for (const task of state.tasks.filter((t) => isOpen(t) && this.unfitForAge(t.key, t.agency, age)))
      this.cancel(task, because, 'NOT_NEEDED');
    state.waiting = state.waiting.filter((w) => {
      if (!this.unfitForAge(w.plan.key, w.plan.agency, age)) return true;
      this.record('TASK_WITHHELD', { key: w.plan.key, because: 'AGE' });
      return false;
    });
    // The stage's work for this age that the old birth date kept out, planned as on entering the stage.
    const known = new Set([
      ...state.tasks.filter((t) => t.stage === state.stage).map((t) => t.key),
      ...state.waiting.map((w) => w.plan.key),
    ]);
    const fits = planStageTasks(playbook, state.stage, this.planningContext(now)).filter((plan) => {
      const when = this.playbookTask(plan.key)?.when;
      return (when?.minAge !== undefined || when?.maxAge !== undefined) && !known.has(plan.key);
    });
    for (const plan of this.admissible(fits)) {
      state.waiting.push({
        plan,
        stage: state.stage,
        ...(plan.startAfter ? { createAt: dueFrom(plan.startAfter, now, playbook.calendar).toISOString() } : {}),
        announced: false,
      });
    }
    this.releaseWaiting();
    this.slaChanged();
  }

  migratePlaybook(migration: MigratePlaybookInput): void {
    const from = this.playbook.version;
    this.playbook = migration.playbook;
    this.record(
      'PLAYBOOK_MIGRATED',
      { from: String(from), to: String(this.playbook.version), reason: migration.reason.trim() },
      { agency: migration.requestedBy },
    );
    this.dirty = true;
  }

  // ---- events ----------------------------------------------------------------------------------------------

  /**
   * What recording `event` would do, worked out on a deep copy: the tasks it creates (agency, title, deadline), the
   * open tasks it ends, the stage before and after, or why it is refused. Nothing in this machine changes and
   * Temporal is not asked: `patched()` answers as this run has answered, and a change this run has not asked about
   * yet as a new run would (true). Ids come from a counter; `now` is this machine's now.
   */
  preview(event: PathwayEvent): EventPreview {
    const stageBefore = this.state.stage;
    const refusal = this.refuseRecordEvent(event);
    if (refusal) return { stageBefore, stageAfter: stageBefore, created: [], ended: [], refusal };
    let ids = 0;
    const answers = new Map(this.patchAnswers);
    // State, playbook and event are JSON (workflow input, history payloads); the workflow sandbox has no structuredClone.
    const copyOf = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
    const copy = new PathwayMachine(
      { ...this.input, playbook: copyOf(this.playbook), state: copyOf(this.state) },
      {
        now: () => this.env.now(),
        newId: () => `preview-${++ids}`,
        patched: (id) => answers.get(id) ?? true,
      },
    );
    copy.recordEvent(copyOf(event));
    copy.settle();
    const before = new Map(this.state.tasks.map((t) => [t.id, t]));
    const created = copy.state.tasks
      .filter((t) => !before.has(t.id) && isOpen(t))
      .map((t) => ({
        key: t.key,
        agency: t.agency,
        type: t.type,
        title: t.title,
        dueAt: t.dueAt,
        ...(t.compressed ? { compressed: true as const } : {}),
      }));
    const ended = copy.state.tasks
      .filter((t) => {
        const was = before.get(t.id);
        return was !== undefined && isOpen(was) && !isOpen(t);
      })
      .map((t) => ({ key: t.key, agency: t.agency, title: t.title, status: t.status }));
    return { stageBefore, stageAfter: copy.state.stage, created, ended };
  }

  recordEvent({ data, recordedBy, recordedByUser, occurredAt }: PathwayEvent): void {
    const { state } = this;
    const detail: Record<string, string> = { type: data.type, occurredAt };
    for (const [k, v] of Object.entries(data)) if (k !== 'type') detail[k] = String(v);
    this.record('EVENT_RECORDED', detail, { agency: recordedBy });
    this.progress();
    const openWhere = (match: (t: Task) => boolean) => state.tasks.filter((t) => isOpen(t) && match(t));
    switch (data.type) {
      case 'ASSESSED': {
        // Not motivated for Exit and handled by investigation: the pathway ends here and nothing is passed on.
        if (data.track === 'INVESTIGATION_ONLY' && this.env.patched(PATHWAY_PATCHES.purposeLimitation)) {
          state.track = data.track;
          this.close('REFERRED_TO_INVESTIGATION');
          break;
        }
        this.completeJointAssessment(data.track, recordedBy);
        if (data.register) this.planEventWork('REGISTRATION_DECIDED');
        const changed = state.track !== undefined && state.track !== data.track;
        state.track = data.track;
        const reason = 'reassessed: the pathway is on another track';
        if (state.stage === 'ASSESSMENT' || state.stage === 'INTERVENTION') {
          // The reason reaches every agency whose task it was: it says the track changed, not to what.
          if (changed)
            for (const task of openWhere((t) => t.stage === 'INTERVENTION')) this.cancel(task, reason, 'TRACK_CHANGED');
          if (state.stage === 'ASSESSMENT' || changed) this.enterStage('INTERVENTION');
        } else {
          // Assessed in custody, release planning or after: the stage stays; work for the old track ends and the
          // stage's work for the new one starts (Exit begun in custody is handed over at release).
          if (changed)
            for (const task of openWhere((t) => !this.fitsTrack(t.key, data.track)))
              this.cancel(task, reason, 'TRACK_CHANGED');
          this.planTrackWork();
        }
        break;
      }
      case 'ARRESTED':
        state.arrestPending = true;
        // v2 playbooks: at most 24 hours before a court hearing, an arrest is a fact with a follow-up, not custody.
        if (this.playbook.arrestEntersCustody === false) this.planEventWork('ARRESTED');
        else this.enterCustody();
        break;
      case 'REMANDED':
        state.arrestPending = true;
        this.enterCustody();
        this.planEventWork('REMANDED');
        break;
      case 'SENTENCED': {
        state.arrestPending = false;
        const at = (date?: string) => (date ? releaseInstant(date).toISOString() : undefined);
        const [earliestParoleAt, fullTermAt] = [at(data.earliestParoleDate), at(data.fullTermDate)];
        state.sentence = { ...(earliestParoleAt ? { earliestParoleAt } : {}), ...(fullTermAt ? { fullTermAt } : {}) };
        // Parole is decided 4 weeks before the two-thirds date: plan for the earliest release until it is refused.
        const release = at(data.expectedReleaseDate) ?? earliestParoleAt ?? fullTermAt;
        if (release) state.releaseAt = release;
        if (state.stage !== 'CUSTODY' && state.stage !== 'RELEASE_PLANNING') this.enterCustody();
        else this.moveReleaseDeadlines();
        this.planEventWork('SENTENCED');
        this.dirty = true;
        break;
      }
      case 'PAROLE_DECIDED': {
        const { sentence } = state;
        const release = data.granted
          ? data.date
            ? releaseInstant(data.date).toISOString()
            : sentence?.earliestParoleAt
          : sentence?.fullTermAt;
        if (release) state.releaseAt = release;
        this.moveReleaseDeadlines();
        this.releaseDated();
        this.dirty = true;
        break;
      }
      case 'RELEASE_DATE_CHANGED':
        state.releaseAt = releaseInstant(data.expectedReleaseDate).toISOString();
        this.moveReleaseDeadlines();
        this.releaseDated();
        this.dirty = true;
        break;
      case 'RELEASED':
        state.releaseAt = undefined;
        state.arrestPending = false;
        state.sentence = undefined;
        this.enterStage('REINTEGRATION');
        break;
      case 'RELEASED_AFTER_ARREST':
        state.arrestPending = false;
        if (state.stage === 'CUSTODY') {
          for (const task of openWhere((t) => t.stage === 'CUSTODY'))
            this.cancel(task, 'released without a sentence', 'NOT_NEEDED');
          this.returnToStage(state.stageBeforeCustody ?? (state.track ? 'INTERVENTION' : 'ASSESSMENT'));
        }
        this.planEventWork('RELEASED_AFTER_ARREST');
        break;
      case 'CONTACT_DIFFICULT':
        this.planEventWork('CONTACT_DIFFICULT');
        break;
      case 'CHARGED':
        // The fact is on the timeline (above); a charge is neither an arrest nor custody.
        break;
      case 'PLACED':
        state.placement = { kind: data.kind, at: this.nowIso() };
        this.enterStage('PLACEMENT');
        break;
      case 'DROPPED_OUT':
        state.placement = undefined;
        this.enterStage('REINTEGRATION');
        break;
      case 'CONSENT_GIVEN':
        state.consent = true;
        this.releaseWaiting();
        break;
      case 'CONSENT_WITHDRAWN':
        state.consent = false;
        for (const task of openWhere((t) => t.requires?.includes('consent') === true))
          this.cancel(task, 'consent withdrawn', 'WITHDRAWN_CONSENT');
        break;
      case 'MOTIVATION_ASSESSED':
        state.motivated = data.motivated;
        if (data.motivated) this.releaseWaiting();
        else {
          for (const task of openWhere((t) => t.requires?.includes('motivation') === true))
            this.cancel(task, 'the national Exit programme does not go ahead now', 'NOT_NEEDED');
        }
        break;
      case 'MOVED':
        state.district = data.district;
        break;
      case 'CLOSED':
        // Four eyes: the closure waits for a second coordinator; until then the pathway runs on.
        if (this.env.patched(PATHWAY_PATCHES.closureFourEyes)) {
          state.pendingClosure = {
            outcome: data.outcome,
            requestedAt: this.nowIso(),
            requestedBy: recordedBy,
            ...(recordedByUser ? { requestedByUser: recordedByUser } : {}),
          };
          this.record('CLOSURE_REQUESTED', { outcome: data.outcome }, { agency: recordedBy });
        } else this.close(data.outcome);
        break;
    }
  }

  /** The second coordinator's answer: CONFIRM closes as CLOSED did before four eyes, REJECT lets it run on. */
  decideClosure(command: DecideClosureInput): void {
    const pending = this.state.pendingClosure!;
    this.state.pendingClosure = undefined;
    if (command.decision === 'REJECT') {
      const reason = command.reason!.trim();
      this.record('CLOSURE_REJECTED', { outcome: pending.outcome, reason }, { agency: command.requestedBy });
      return;
    }
    this.record('CLOSURE_CONFIRMED', { outcome: pending.outcome }, { agency: command.requestedBy });
    this.close(pending.outcome);
  }

  /**
   * Back to the stage the pathway was closed from. Tasks cancelled at closing stay cancelled (their cancellation
   * was told to their agencies); the stage's playbook work is planned again, as on entering it, so every agency
   * gets fresh work with fresh deadlines rather than a resurrected task whose deadline passed while it was closed.
   */
  reopen(command: ReopenPathwayInput): void {
    const { state } = this;
    const to = state.stageBeforeClosing ?? 'ASSESSMENT';
    state.closedOutcome = undefined;
    state.reopenableUntil = undefined;
    state.stageBeforeClosing = undefined;
    this.record('PATHWAY_REOPENED', { to, reason: command.reason.trim() }, { agency: command.requestedBy });
    this.enterStage(to);
  }

  /**
   * The operative group's meeting decided on an agenda item about the pathway: onto the timeline once per item; the
   * same decision again changes nothing. A NOTE or RECOMMEND is the entry only. CHANGE_PRIORITY sets the priority
   * (PRIORITY_CHANGED; the read model marks the pathway's tasks in the queues). CLOSE asks for the closure as a
   * coordinator's CLOSED does (four eyes): the meeting is the proposer, the member who recorded it the one who may not
   * confirm. Not progress: the stall clock runs on, since a decision about the pathway is not work on it.
   */
  recordMeetingDecision(command: RecordMeetingDecisionInput): void {
    const { state } = this;
    if (state.meetingDecisions?.[command.itemId] !== undefined) return;
    state.meetingDecisions = { ...state.meetingDecisions, [command.itemId]: command.decision };
    const note = command.note?.trim();
    const { meetingId, itemId } = command;
    this.record(
      'MEETING_DECISION',
      { meetingId, itemId, decision: command.decision, ...(note ? { note } : {}) },
      { agency: command.requestedBy },
    );
    const acts = command.decision === 'CHANGE_PRIORITY' || command.decision === 'CLOSE';
    if (!acts || !this.env.patched(PATHWAY_PATCHES.meetingPriorityAndClose)) return;
    if (command.decision === 'CHANGE_PRIORITY') {
      const from = state.priority ?? 'NORMAL';
      state.priority = command.priority!;
      this.record('PRIORITY_CHANGED', { from, to: state.priority, meetingId, itemId }, { agency: command.requestedBy });
      return;
    }
    state.pendingClosure = {
      outcome: command.outcome!,
      requestedAt: this.nowIso(),
      requestedBy: command.requestedBy,
      ...(command.requestedByUser ? { requestedByUser: command.requestedByUser } : {}),
      meetingId,
    };
    this.record('CLOSURE_REQUESTED', { outcome: command.outcome!, meetingId, itemId }, { agency: command.requestedBy });
  }

  /** The operative group's joint assessment is done when its decision is recorded. */
  private completeJointAssessment(track: string, recordedBy: string): void {
    const open = this.state.tasks.filter((t) => isOpen(t) && t.type === 'JOINT_ASSESSMENT');
    if (open.length === 0 || !this.env.patched(PATHWAY_PATCHES.assessmentCompletesTask)) return;
    for (const task of open) {
      task.status = 'DONE';
      task.outcome = `ASSESSED: ${track}`;
      task.completedAt = this.nowIso();
      task.completedBy = recordedBy;
      this.touch(task);
      this.record('TASK_COMPLETED', { key: task.key, outcome: task.outcome }, { agency: recordedBy, taskId: task.id });
      this.resolveEscalations((e) => e.taskId === task.id, 'TASK_DONE');
    }
  }

  /** A task the playbook plans for named tracks only, and not for this one. */
  private fitsTrack(key: string, track: string): boolean {
    const tracks = this.playbookTask(key)?.when?.tracks;
    return !tracks || (tracks as string[]).includes(track);
  }

  /** The current stage's work for the pathway's track that is not already open. */
  private planTrackWork(): void {
    const { state, playbook } = this;
    const at = this.now();
    const open = new Set(state.tasks.filter(isOpen).map((t) => t.key));
    const waiting = new Set(state.waiting.map((w) => w.plan.key));
    const planned = planStageTasks(playbook, state.stage, this.planningContext(at)).filter(
      (p) => this.playbookTask(p.key)?.when?.tracks && !open.has(p.key) && !waiting.has(p.key),
    );
    for (const plan of this.admissible(planned)) state.waiting.push({ plan, stage: state.stage, announced: false });
    this.releaseWaiting();
    this.dirty = true;
  }

  /** Remand or sentence: custody, remembering the stage to go back to if the person is released without one. */
  private enterCustody(): void {
    const { state } = this;
    if (state.stage === 'CUSTODY' || state.stage === 'RELEASE_PLANNING') return;
    state.stageBeforeCustody = state.stage;
    this.enterStage('CUSTODY');
  }

  /** Back to the stage the pathway left: its work is still there, so nothing is planned again. */
  private returnToStage(to: Stage): void {
    const { state } = this;
    const from = state.stage;
    state.stage = to;
    state.stageEnteredAt = this.nowIso();
    state.waiting = [];
    this.progress();
    this.record('STAGE_CHANGED', { from, to, because: 'RELEASED_AFTER_ARREST' });
    this.dirty = true;
  }

  /** The playbook's work for an event, in the stage the pathway is in, unless it is already open. */
  private planEventWork(event: PlannedEvent): void {
    const plan = this.playbook.onEvent?.[event];
    if (!plan) return;
    const { state } = this;
    const ctx = this.planningContext(this.now());
    const open = new Set(state.tasks.filter(isOpen).map((t) => t.key));
    const planned = plan.tasks
      .filter((task) => conditionHolds(task.when, ctx) && !open.has(task.key))
      .map((task) => planTask(this.playbook, task, ctx));
    for (const p of this.admissible(planned)) state.waiting.push({ plan: p, stage: state.stage, announced: false });
    this.releaseWaiting();
    this.dirty = true;
  }

  /** A release date is known now: work that waited for one is handed out. */
  private releaseDated(): void {
    if (this.state.waiting.some((w) => w.plan.requires.includes('releaseDate'))) this.releaseWaiting();
  }

  private close(outcome: ClosingOutcome): void {
    const { state } = this;
    for (const task of state.tasks.filter(isOpen)) this.cancel(task, `pathway closed: ${outcome}`, 'PATHWAY_CLOSED');
    state.waiting = [];
    state.pendingClosure = undefined;
    state.closedOutcome = outcome;
    state.stageBeforeClosing = state.stage;
    state.stage = 'CLOSED';
    state.stageEnteredAt = this.nowIso();
    this.record('PATHWAY_CLOSED', { outcome });
    // The workflow runs on for the reopen window (the shell loops until `finished`).
    if (this.env.patched(PATHWAY_PATCHES.reopenWindow)) {
      state.reopenableUntil = new Date(this.now().getTime() + REOPEN_WITHIN_DAYS * 86_400_000).toISOString();
      this.dirty = true;
    }
  }
}

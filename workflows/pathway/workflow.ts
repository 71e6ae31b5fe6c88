// One workflow per person's pathway: the source of truth for where the person stands and which agency owes
// which task. Deterministic: all I/O goes through activities; time is the workflow's own clock. Every timer the
// pathway needs (release planning, the age handover, delayed follow-ups) is derived from its state, so the state
// alone is what continue-as-new carries.
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../../activities';
import {
  FailureType,
  OUTCOME_MAX_LENGTH,
  ageOn,
  birthdayOf,
  copenhagenTime,
  dueFrom,
  eventDataProblems,
  eventRefusal,
  planStageTasks,
  releaseInstant,
  releasePlanningStart,
  stageAfterTasks,
  timelineEntryId,
  ESCALATION_TARGETS,
  nextTaskTimer,
  reminderShares,
  hasUnstorable,
  UNSTORABLE_REASON,
  type CancelTaskInput,
  type ClaimTaskInput,
  type CompleteTaskInput,
  type Escalation,
  type EscalationDecision,
  type ExtendTaskInput,
  type Notification,
  type ReassignTaskInput,
  type ResolveEscalationInput,
  type TaskCommand,
  type TaskTimer,
  type MigratePlaybookInput,
  type PathwayEvent,
  type PathwayInput,
  type PathwayState,
  type PathwayStatus,
  type PlannedTask,
  type Playbook,
  type Stage,
  type Task,
  type TimelineEntry,
  type TimelineKind,
  type PathwayProjection,
} from '../../libs/domain/src';
import {
  completeTaskUpdate,
  migratePlaybookUpdate,
  recordEventUpdate,
  statusQuery,
  syncUpdate,
  cancelTaskUpdate,
  claimTaskUpdate,
  extendTaskUpdate,
  reassignTaskUpdate,
  resolveEscalationUpdate,
  unclaimTaskUpdate,
} from './messages';
import {
  pathwayAgenciesKey,
  pathwayDistrictKey,
  pathwayStageKey,
  pathwayTrackKey,
  pathwayOverdueKey,
  pathwayStalledKey,
} from './search-attributes';
import { dbWrite } from '../activity-options';

const { projectPathway } = proxyActivities<Activities>(dbWrite);

const DEFAULT_MAX_HISTORY_EVENTS = 10_000;

const isOpen = (task: Task) => task.status === 'OPEN' || task.status === 'CLAIMED';

export async function pathwayWorkflow(input: PathwayInput): Promise<void> {
  const { pathwayId, person, contact } = input;
  let playbook: Playbook = input.playbook;
  const now = () => new Date();
  const nowIso = () => now().toISOString();

  const fresh = (): PathwayState => ({
    stage: 'CONTACT',
    district: person.district,
    consent: false,
    handedOver: false,
    openedAt: nowIso(),
    stageEnteredAt: nowIso(),
    lastProgressAt: nowIso(),
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
  });
  // A state carried over from a run of older code lacks the newer fields: they start empty.
  const state: PathwayState = input.state ? { ...fresh(), ...input.state } : fresh();
  // A new run starts after a final flush, so everything it carries is already in the read model.
  let projectedVersion = state.projectedOnce ? state.version : 0;
  // Set by handlers when a timer-relevant fact changes, so the main loop recomputes its next wake-up.
  let dirty = false;
  /** Deadlines, reminders, escalation and stall detection came after the first pathways ran. */
  const slaTimers = () => patched('task-sla-timers');
  const waitOnlyForReadyWork = () => patched('wake-only-for-ready-waiting-work');
  /** Task and stall timers changed: only pathways that have them need the main loop to look again. */
  const slaChanged = () => {
    if (slaTimers()) dirty = true;
  };
  let writes: Promise<void> = Promise.resolve();

  const adultAge = () => playbook.ageHandover?.age ?? 18;
  /** Work the playbook plans for adults only: the age handover is for work begun with a minor, not for this. */
  const isAdultWork = (key: string): boolean =>
    (playbookTask(key)?.when?.minAge ?? 0) >= adultAge() && patched('age-handover-keeps-adult-work');
  const adultAt = (): Date =>
    input.adultAt ? new Date(input.adultAt) : copenhagenTime(birthdayOf(person.birthDate, adultAge()), 0);

  /** Age for the playbook's conditions; consistent with the handover moment when a drill sets it. */
  function age(at: Date): number {
    const years = ageOn(person.birthDate, at);
    if (!input.adultAt) return years;
    return at.getTime() >= adultAt().getTime() ? Math.max(years, adultAge()) : Math.min(years, adultAge() - 1);
  }

  const status = (): PathwayStatus => ({
    pathwayId,
    stage: state.stage,
    ...(state.track ? { track: state.track } : {}),
    district: state.district,
    consent: state.consent,
    ...(state.motivated !== undefined ? { motivated: state.motivated } : {}),
    ...(state.releaseAt ? { expectedReleaseAt: state.releaseAt } : {}),
    playbookVersion: playbook.version,
    tasks: state.tasks.map((t) => ({ ...t })),
    waitingTasks: state.waiting.map((w) => ({
      key: w.plan.key,
      agency: w.plan.agency,
      stage: w.stage,
      ...(w.createAt ? { createAt: w.createAt } : {}),
      requires: unmetRequirements(w.plan),
    })),
    stalled: state.stalled,
    escalations: state.escalations.map((e) => ({ ...e })),
    version: state.version,
    runs: runs(),
  });

  function runs(): number {
    return input.state?.runs ?? 0;
  }

  function record(kind: TimelineKind, detail: Record<string, string>, extra: Partial<TimelineEntry> = {}): void {
    state.version += 1;
    state.timelineSequence += 1;
    state.pendingTimeline.push({
      id: timelineEntryId(pathwayId, state.timelineSequence),
      sequence: state.timelineSequence,
      at: nowIso(),
      kind,
      detail,
      ...extra,
    });
  }

  function touch(task: Task): void {
    if (!state.pendingTaskIds.includes(task.id)) state.pendingTaskIds.push(task.id);
  }

  /** A message to an agency about the latest timeline entry; its id is derived from that entry. */
  function notify(
    agency: string,
    kind: Notification['kind'],
    extra: { taskId?: string; escalationId?: string } = {},
  ): void {
    state.pendingNotifications.push({
      id: `${pathwayId}:${state.timelineSequence}:${agency}`,
      agency,
      kind,
      pathwayId,
      ...extra,
    });
  }

  function touchEscalation(escalation: Escalation): void {
    if (!state.pendingEscalationIds.includes(escalation.id)) state.pendingEscalationIds.push(escalation.id);
  }

  function raise(kind: Escalation['kind'], level: 1 | 2, agency: string, task?: Task): Escalation {
    const id = task
      ? `${task.id}:L${level}:${task.windowStart ?? task.createdAt}`
      : `${pathwayId}:stalled:${state.lastProgressAt}`;
    const escalation: Escalation = {
      id,
      pathwayId,
      kind,
      level,
      ...(task ? { taskId: task.id } : {}),
      agency,
      escalatedTo: ESCALATION_TARGETS[level],
      status: 'OPEN',
      raisedAt: nowIso(),
    };
    state.escalations.push(escalation);
    touchEscalation(escalation);
    record(
      'ESCALATED',
      { kind, level: String(level), to: escalation.escalatedTo, ...(task ? { key: task.key } : {}) },
      {
        agency,
        ...(task ? { taskId: task.id } : {}),
      },
    );
    notify(escalation.escalatedTo, kind === 'PATHWAY_STALLED' ? 'PATHWAY_STALLED' : 'ESCALATION_RAISED', {
      escalationId: id,
      ...(task ? { taskId: task.id } : {}),
    });
    return escalation;
  }

  function resolveEscalations(match: (e: Escalation) => boolean, decision: EscalationDecision, note?: string): void {
    for (const escalation of state.escalations.filter((e) => e.status === 'OPEN' && match(e))) {
      escalation.status = 'RESOLVED';
      escalation.resolvedAt = nowIso();
      escalation.decision = decision;
      if (note) escalation.note = note;
      touchEscalation(escalation);
      record(
        'ESCALATION_RESOLVED',
        { kind: escalation.kind, level: String(escalation.level), decision },
        {
          ...(escalation.taskId ? { taskId: escalation.taskId } : {}),
        },
      );
    }
  }

  /** Work happened: the stall clock restarts and a stall is over. */
  function progress(): void {
    state.lastProgressAt = nowIso();
    if (state.stalled) {
      state.stalled = false;
      record('PATHWAY_UNSTALLED', {});
      resolveEscalations((e) => e.kind === 'PATHWAY_STALLED', 'PROGRESS');
    }
    slaChanged();
  }

  // ---- tasks -----------------------------------------------------------------------------------------------

  function unmetRequirements(plan: PlannedTask): string[] {
    return plan.requires.filter((r) => (r === 'consent' ? !state.consent : state.motivated !== true));
  }

  function createTask(plan: PlannedTask, stage: Stage): Task {
    const created = now();
    const releaseAt = state.releaseAt ? new Date(state.releaseAt) : undefined;
    const task: Task = {
      id: uuid4(),
      pathwayId,
      key: plan.key,
      stage,
      agency: plan.agency,
      type: plan.type,
      title: plan.title,
      status: 'OPEN',
      createdAt: created.toISOString(),
      dueAt: dueFrom(plan.due, created, playbook.calendar, releaseAt).toISOString(),
      ...(plan.due.kind === 'beforeRelease' ? { dueRule: plan.due } : {}),
      ...(plan.requires.length > 0 ? { requires: plan.requires } : {}),
      overdue: false,
      escalationLevel: 0,
      remindersSent: 0,
      windowStart: created.toISOString(),
      reminderShares: reminderShares(plan.reminderShare),
      ...(plan.escalateAfter ? { escalateAfter: plan.escalateAfter } : {}),
      ...(plan.handoverTo ? { handover: { to: plan.handoverTo, state: 'NOT_STARTED' as const } } : {}),
    };
    // An under-age agency's task planned after the handover goes straight to the adult agency; work the playbook
    // gives that agency for adults (SSP's parent involvement) stays where the playbook puts it.
    if (state.handedOver && !isAdultWork(task.key)) {
      task.agency = playbook.ageHandover?.agencies[task.agency] ?? task.agency;
    }
    state.tasks.push(task);
    touch(task);
    record('TASK_CREATED', { key: task.key, stage }, { agency: task.agency, taskId: task.id });
    notify(task.agency, 'TASK_ASSIGNED', { taskId: task.id });
    slaChanged();
    return task;
  }

  function cancelTask(task: Task, reason: string): void {
    task.status = 'CANCELLED';
    task.cancelReason = reason;
    task.completedAt = nowIso();
    touch(task);
    record('TASK_CANCELLED', { key: task.key, reason }, { agency: task.agency, taskId: task.id });
    resolveEscalations((e) => e.taskId === task.id, 'CANCEL_TASK', reason);
    // A handover is one piece of work in two tasks: neither half may be left hanging by cancelling the other.
    const sender = task.acknowledges ? state.tasks.find((t) => t.id === task.acknowledges) : undefined;
    const ack = task.handover?.ackTaskId ? state.tasks.find((t) => t.id === task.handover!.ackTaskId) : undefined;
    if (sender && isOpen(sender) && sender.handover?.state === 'AWAITING_ACK' && patched('cancel-follows-handover')) {
      // No acknowledgement is coming: the sender still holds the person and may hand over again.
      sender.handover.state = 'NOT_STARTED';
      delete sender.handover.ackTaskId;
      touch(sender);
      slaChanged();
    }
    if (ack && isOpen(ack) && patched('cancel-follows-handover')) cancelTask(ack, reason);
  }

  /** Hands over tasks that wait no longer: their time has come and their requirements are met. */
  function releaseWaiting(): void {
    const at = now().getTime();
    const ready = state.waiting.filter(
      (w) => (!w.createAt || new Date(w.createAt).getTime() <= at) && unmetRequirements(w.plan).length === 0,
    );
    state.waiting = state.waiting.filter((w) => !ready.includes(w));
    for (const w of ready) createTask(w.plan, w.stage);
    for (const w of state.waiting) {
      const unmet = unmetRequirements(w.plan);
      if (!w.announced && unmet.length > 0) {
        w.announced = true;
        record('TASK_WAITING', { key: w.plan.key, waitingFor: unmet.join(', ') }, { agency: w.plan.agency });
      }
    }
  }

  function enterStage(next: Stage): void {
    const from = state.stage;
    state.stage = next;
    state.stageEnteredAt = nowIso();
    progress();
    record('STAGE_CHANGED', { from, to: next });
    // Work planned for the stage being left and not yet handed out is moot now.
    state.waiting = [];
    const at = now();
    const planned = planStageTasks(playbook, next, {
      now: at,
      age: age(at),
      livesWithParents: person.livesWithParents,
      track: state.track,
      releaseAt: state.releaseAt ? new Date(state.releaseAt) : undefined,
    });
    // A task still open from an earlier stay in this stage (re-arrest) covers the new one. Pathways started
    // before this rule keep planning as they did, so their histories replay unchanged.
    const openKeys = patched('skip-planned-tasks-already-open')
      ? new Set(state.tasks.filter(isOpen).map((t) => t.key))
      : new Set<string>();
    for (const plan of planned.filter((p) => !openKeys.has(p.key))) {
      state.waiting.push({
        plan,
        stage: next,
        ...(plan.startAfter ? { createAt: dueFrom(plan.startAfter, at, playbook.calendar).toISOString() } : {}),
        announced: false,
      });
    }
    releaseWaiting();
    dirty = true;
  }

  /** Every deadline that hangs on the release date follows it. */
  function moveReleaseDeadlines(): void {
    const releaseAt = state.releaseAt ? new Date(state.releaseAt) : undefined;
    for (const task of state.tasks.filter((t) => isOpen(t) && t.dueRule)) {
      const dueAt = dueFrom(task.dueRule!, new Date(task.createdAt), playbook.calendar, releaseAt).toISOString();
      if (dueAt === task.dueAt) continue;
      const from = task.dueAt;
      task.dueAt = dueAt;
      touch(task);
      record(
        'DEADLINE_MOVED',
        { key: task.key, from, to: dueAt, because: 'RELEASE_DATE_CHANGED' },
        { taskId: task.id, agency: task.agency },
      );
      // A deadline moved back into the future is not overdue any more: the ladder starts again, as after an
      // extension, and what was raised for the old deadline is answered.
      const wasLate = task.overdue || (task.escalationLevel ?? 0) > 0;
      if (wasLate && Date.parse(dueAt) > now().getTime() && patched('release-move-restarts-ladder')) {
        task.windowStart = nowIso();
        task.remindersSent = 0;
        task.overdue = false;
        task.escalationLevel = 0;
        resolveEscalations((e) => e.taskId === task.id, 'EXTEND', 'the release date moved');
        slaChanged();
      }
    }
  }

  // ---- timers ----------------------------------------------------------------------------------------------

  function planningStartsAt(): Date | undefined {
    if (state.stage !== 'CUSTODY' || !state.releaseAt) return undefined;
    return releasePlanningStart(playbook, new Date(state.releaseAt));
  }

  function handoverAt(): Date | undefined {
    if (state.handedOver || !playbook.ageHandover) return undefined;
    return adultAt();
  }

  /** A handover waiting for its receiver is the receiver's to act on: the sender's clock stands still. */
  function taskTimer(task: Task): TaskTimer | undefined {
    if (!isOpen(task) || task.handover?.state === 'AWAITING_ACK') return undefined;
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
      playbook.calendar,
    );
  }

  function stallAt(): Date | undefined {
    if (state.stalled || state.stage === 'CLOSED') return undefined;
    // Nothing open and the next step already scheduled (release planning, follow-ups): waiting, not stalled.
    if (!state.tasks.some(isOpen) && (planningStartsAt() || state.waiting.some((w) => w.createAt))) return undefined;
    return dueFrom(
      playbook.stallAfter ?? { kind: 'calendarDays', days: 30 },
      new Date(state.lastProgressAt),
      playbook.calendar,
    );
  }

  function nextWakeUp(): number | undefined {
    const sla = slaTimers();
    const times = [
      planningStartsAt(),
      handoverAt(),
      ...(sla ? [stallAt(), ...state.tasks.map((t) => taskTimer(t)?.at)] : []),
      // Work that also waits for consent or motivation is woken by that event, not by its start time: a start time
      // already past would otherwise wake the loop again at once, forever.
      ...state.waiting
        .filter((w) => w.createAt && (!waitOnlyForReadyWork() || unmetRequirements(w.plan).length === 0))
        .map((w) => new Date(w.createAt!)),
    ]
      .filter((d): d is Date => d !== undefined)
      .map((d) => d.getTime());
    return times.length > 0 ? Math.min(...times) : undefined;
  }

  function fireTaskTimers(at: number): void {
    for (const task of state.tasks) {
      // Several steps of the ladder can be due at once (a worker that was down): take them in order.
      for (let timer = taskTimer(task); timer && timer.at.getTime() <= at; timer = taskTimer(task)) {
        switch (timer.kind) {
          case 'REMINDER':
            task.remindersSent = timer.index + 1;
            record(
              'TASK_REMINDED',
              { key: task.key, reminder: String(timer.index + 1) },
              { agency: task.agency, taskId: task.id },
            );
            notify(task.agency, 'TASK_REMINDER', { taskId: task.id });
            break;
          case 'OVERDUE':
            task.overdue = true;
            task.escalationLevel = 1;
            record('TASK_OVERDUE', { key: task.key, dueAt: task.dueAt }, { agency: task.agency, taskId: task.id });
            notify(task.agency, 'TASK_OVERDUE', { taskId: task.id });
            raise('TASK_OVERDUE', 1, task.agency, task);
            break;
          case 'LEVEL2':
            task.escalationLevel = 2;
            raise('TASK_OVERDUE', 2, task.agency, task);
            break;
        }
        touch(task);
      }
    }
  }

  function fireDueTimers(): void {
    const at = now().getTime();
    if (slaTimers()) fireTaskTimers(at);
    const stall = slaTimers() ? stallAt() : undefined;
    if (stall && stall.getTime() <= at) {
      state.stalled = true;
      record('PATHWAY_STALLED', { since: state.lastProgressAt });
      raise('PATHWAY_STALLED', 1, 'OPERATIVE_GROUP');
    }
    const handover = handoverAt();
    if (handover && handover.getTime() <= at) handOverToAdultAgencies();
    const planning = planningStartsAt();
    if (planning && planning.getTime() <= at) enterStage('RELEASE_PLANNING');
    if (state.waiting.some((w) => w.createAt && new Date(w.createAt).getTime() <= at)) releaseWaiting();
  }

  function handOverToAdultAgencies(): void {
    state.handedOver = true;
    const agencies = playbook.ageHandover?.agencies ?? {};
    for (const task of state.tasks.filter((t) => isOpen(t) && agencies[t.agency] && !isAdultWork(t.key))) {
      const from = task.agency;
      task.agency = agencies[from];
      // The new agency has not claimed it: the person it was claimed by works elsewhere.
      if (task.status === 'CLAIMED') task.status = 'OPEN';
      delete task.assignee;
      touch(task);
      record(
        'TASK_HANDED_OVER',
        { key: task.key, from, to: task.agency, because: `AGE_${adultAge()}` },
        { taskId: task.id, agency: task.agency },
      );
      notify(task.agency, 'TASK_ASSIGNED', { taskId: task.id });
    }
    dirty = true;
  }

  // ---- events ----------------------------------------------------------------------------------------------

  function applyEvent({ data, recordedBy, occurredAt }: PathwayEvent): void {
    const detail: Record<string, string> = { type: data.type, occurredAt };
    for (const [k, v] of Object.entries(data)) if (k !== 'type') detail[k] = String(v);
    record('EVENT_RECORDED', detail, { agency: recordedBy });
    progress();
    switch (data.type) {
      case 'ASSESSED': {
        const changed = state.track !== undefined && state.track !== data.track;
        state.track = data.track;
        if (changed) {
          for (const task of state.tasks.filter((t) => isOpen(t) && t.stage === 'INTERVENTION')) {
            // The reason reaches every agency whose task it was: it says the track changed, not to what.
            cancelTask(task, 'reassessed: the pathway is on another track');
          }
        }
        if (state.stage === 'ASSESSMENT' || changed) enterStage('INTERVENTION');
        break;
      }
      case 'ARRESTED':
      case 'REMANDED':
        if (state.stage !== 'CUSTODY' && state.stage !== 'RELEASE_PLANNING') enterStage('CUSTODY');
        break;
      case 'SENTENCED':
        state.releaseAt = releaseInstant(data.expectedReleaseDate).toISOString();
        if (state.stage !== 'CUSTODY' && state.stage !== 'RELEASE_PLANNING') enterStage('CUSTODY');
        else moveReleaseDeadlines();
        dirty = true;
        break;
      case 'RELEASE_DATE_CHANGED':
        state.releaseAt = releaseInstant(data.expectedReleaseDate).toISOString();
        moveReleaseDeadlines();
        dirty = true;
        break;
      case 'RELEASED':
        state.releaseAt = undefined;
        enterStage('REINTEGRATION');
        break;
      case 'PLACED':
        state.placement = { kind: data.kind, at: nowIso() };
        enterStage('PLACEMENT');
        break;
      case 'DROPPED_OUT':
        state.placement = undefined;
        enterStage('REINTEGRATION');
        break;
      case 'CONSENT_GIVEN':
        state.consent = true;
        releaseWaiting();
        break;
      case 'CONSENT_WITHDRAWN':
        state.consent = false;
        for (const task of state.tasks.filter((t) => isOpen(t) && t.requires?.includes('consent'))) {
          cancelTask(task, 'consent withdrawn');
        }
        break;
      case 'MOTIVATION_ASSESSED':
        state.motivated = data.motivated;
        if (data.motivated) releaseWaiting();
        else {
          for (const task of state.tasks.filter((t) => isOpen(t) && t.requires?.includes('motivation'))) {
            cancelTask(task, 'motivation assessed as absent');
          }
        }
        break;
      case 'MOVED':
        state.district = data.district;
        break;
      case 'CLOSED':
        for (const task of state.tasks.filter(isOpen)) cancelTask(task, `pathway closed: ${data.outcome}`);
        state.waiting = [];
        state.closedOutcome = data.outcome;
        state.stage = 'CLOSED';
        state.stageEnteredAt = nowIso();
        record('PATHWAY_CLOSED', { outcome: data.outcome });
        break;
    }
  }

  // ---- read model and search attributes --------------------------------------------------------------------

  function updateSearchAttributes(): void {
    const agencies = [...new Set(state.tasks.filter(isOpen).map((t) => t.agency))].sort();
    upsertSearchAttributes([
      { key: pathwayStageKey, value: state.stage },
      { key: pathwayDistrictKey, value: state.district },
      { key: pathwayAgenciesKey, value: agencies },
      { key: pathwayOverdueKey, value: state.tasks.some((t) => isOpen(t) && t.overdue === true) },
      { key: pathwayStalledKey, value: state.stalled },
      ...(state.track ? [{ key: pathwayTrackKey, value: state.track }] : []),
    ]);
  }

  /** Writes every pending change to the read model; resolves once this call's changes are there. */
  function flush(): Promise<void> {
    const run = writes.then(async () => {
      if (state.pendingTaskIds.length === 0 && state.pendingTimeline.length === 0 && state.projectedOnce) return;
      const escalations = state.pendingEscalationIds.map((id) => ({ ...state.escalations.find((e) => e.id === id)! }));
      const tasks = state.pendingTaskIds.map((id) => ({ ...state.tasks.find((t) => t.id === id)! }));
      const batch: PathwayProjection = {
        pathwayId,
        workflowId: workflowInfo().workflowId,
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
        tasks,
        timeline: state.pendingTimeline,
        escalations,
        notifications: state.pendingNotifications,
        ...(state.projectedOnce ? {} : { person, contact }),
      };
      state.pendingTaskIds = [];
      state.pendingTimeline = [];
      state.pendingEscalationIds = [];
      state.pendingNotifications = [];
      state.projectedOnce = true;
      await projectPathway(batch);
      projectedVersion = Math.max(projectedVersion, batch.version);
    });
    writes = run;
    return run;
  }

  /** After a command: search attributes, then the read model, then the answer. */
  async function settle(): Promise<PathwayStatus> {
    const next = stageAfterTasks(state.stage, state.tasks);
    if (next) enterStage(next);
    updateSearchAttributes();
    await flush();
    return status();
  }

  // ---- handlers --------------------------------------------------------------------------------------------

  setHandler(statusQuery, status);

  setHandler(syncUpdate, async () => {
    await condition(() => state.projectedOnce && projectedVersion >= state.version);
    return status();
  });

  function findOpenTask(taskId: string): Task {
    const task = state.tasks.find((t) => t.id === taskId);
    if (!task) throw ApplicationFailure.nonRetryable('task not found', FailureType.TaskNotFound);
    if (!isOpen(task)) throw ApplicationFailure.nonRetryable(`task is already ${task.status}`, FailureType.TaskNotOpen);
    return task;
  }

  function refuse(message: string, type: string): never {
    throw ApplicationFailure.nonRetryable(message, type);
  }

  function requireText(value: unknown, field: string, max = OUTCOME_MAX_LENGTH): void {
    if (typeof value !== 'string' || value.trim().length === 0 || value.length > max) {
      refuse(`${field} must be a non-empty text of at most ${max} characters`, FailureType.InvalidInput);
    }
    if (hasUnstorable(value)) refuse(`${field} ${UNSTORABLE_REASON}`, FailureType.InvalidInput);
  }

  function requireOperativeGroup(requestedBy: string, what: string): void {
    if (requestedBy !== 'OPERATIVE_GROUP') refuse(`only the operative group may ${what}`, FailureType.NotAllowed);
  }

  /** Completing a handover asks the receiver to acknowledge; completing the acknowledgement lets the sender go. */
  function completeTask({ taskId, outcome, completedBy }: CompleteTaskInput): void {
    const task = findOpenTask(taskId);
    task.outcome = outcome.trim();
    progress();
    touch(task);
    if (task.handover && task.handover.state === 'NOT_STARTED') {
      task.handover.state = 'AWAITING_ACK';
      const ack = createTask(
        {
          key: `${task.key}-ack`,
          agency: task.handover.to,
          type: 'HANDOVER_ACK',
          title: `Bekræft overtagelse: ${task.title}`,
          due: playbookTask(task.key)?.acknowledgeWithin ?? { kind: 'workingDays', days: 2 },
          dueAt: new Date(),
          requires: [],
          reminderShare: playbookTask(task.key)?.reminderShare,
          escalateAfter: playbookTask(task.key)?.escalateAfter,
        },
        task.stage,
      );
      ack.acknowledges = task.id;
      task.handover.ackTaskId = ack.id;
      record(
        'HANDOVER_REQUESTED',
        { key: task.key, from: task.agency, to: ack.agency },
        { agency: completedBy, taskId },
      );
      notify(ack.agency, 'HANDOVER_REQUESTED', { taskId: ack.id });
      return;
    }
    task.status = 'DONE';
    task.completedAt = nowIso();
    task.completedBy = completedBy;
    record('TASK_COMPLETED', { key: task.key, outcome: task.outcome }, { agency: completedBy, taskId });
    resolveEscalations((e) => e.taskId === task.id, 'TASK_DONE');
    const sender = task.acknowledges ? state.tasks.find((t) => t.id === task.acknowledges) : undefined;
    if (sender && isOpen(sender) && sender.handover) {
      sender.handover.state = 'ACKNOWLEDGED';
      sender.status = 'DONE';
      sender.completedAt = nowIso();
      sender.completedBy = sender.agency;
      touch(sender);
      record(
        'HANDOVER_ACKNOWLEDGED',
        { key: sender.key, from: sender.agency, to: completedBy },
        { agency: completedBy, taskId: sender.id },
      );
      resolveEscalations((e) => e.taskId === sender.id, 'TASK_DONE');
    }
  }

  function playbookTask(key: string) {
    for (const plan of Object.values(playbook.stages)) {
      const found = plan?.tasks.find((t) => t.key === key);
      if (found) return found;
    }
    return undefined;
  }

  function validateComplete({ taskId, outcome, completedBy }: CompleteTaskInput): void {
    const task = findOpenTask(taskId);
    requireText(outcome, 'outcome');
    if (typeof completedBy !== 'string' || completedBy.length === 0)
      refuse('completedBy must name an agency', FailureType.InvalidInput);
    if (task.handover?.state === 'AWAITING_ACK') {
      refuse(`the handover waits for ${task.handover.to} to acknowledge it`, FailureType.TaskConflict);
    }
  }

  setHandler(
    completeTaskUpdate,
    async (command: CompleteTaskInput) => {
      // Two completions validated in one activation: the second one is refused here.
      validateComplete(command);
      completeTask(command);
      return settle();
    },
    {
      validator: (command: CompleteTaskInput) => {
        validateComplete(command);
        // Only in the validator: histories from before this rule replay without it.
        const task = findOpenTask(command.taskId);
        if (command.completedBy !== task.agency) refuse(`the task belongs to ${task.agency}`, FailureType.NotAllowed);
      },
    },
  );

  function validateClaim({ taskId, requestedBy, assignee }: ClaimTaskInput): void {
    const task = findOpenTask(taskId);
    requireText(assignee, 'assignee', 100);
    if (requestedBy !== task.agency) refuse(`the task belongs to ${task.agency}`, FailureType.NotAllowed);
    if (task.status === 'CLAIMED') refuse(`the task is already claimed by ${task.assignee}`, FailureType.TaskConflict);
  }

  setHandler(
    claimTaskUpdate,
    async (command: ClaimTaskInput) => {
      validateClaim(command);
      const task = findOpenTask(command.taskId);
      task.status = 'CLAIMED';
      task.assignee = command.assignee.trim();
      touch(task);
      record('TASK_CLAIMED', { key: task.key, assignee: task.assignee }, { agency: task.agency, taskId: task.id });
      return settle();
    },
    { validator: validateClaim },
  );

  function validateUnclaim({ taskId, requestedBy }: TaskCommand): void {
    const task = findOpenTask(taskId);
    if (requestedBy !== task.agency && requestedBy !== 'OPERATIVE_GROUP')
      refuse(`the task belongs to ${task.agency}`, FailureType.NotAllowed);
    if (task.status !== 'CLAIMED') refuse('the task is not claimed', FailureType.TaskConflict);
  }

  setHandler(
    unclaimTaskUpdate,
    async (command: TaskCommand) => {
      validateUnclaim(command);
      const task = findOpenTask(command.taskId);
      const assignee = task.assignee ?? '';
      task.status = 'OPEN';
      delete task.assignee;
      touch(task);
      record('TASK_UNCLAIMED', { key: task.key, assignee }, { agency: command.requestedBy, taskId: task.id });
      return settle();
    },
    { validator: validateUnclaim },
  );

  function reassign(task: Task, toAgency: string, reason: string, requestedBy: string): void {
    const from = task.agency;
    task.agency = toAgency;
    task.status = 'OPEN';
    delete task.assignee;
    touch(task);
    record('TASK_REASSIGNED', { key: task.key, from, to: toAgency, reason }, { agency: requestedBy, taskId: task.id });
    notify(toAgency, 'TASK_ASSIGNED', { taskId: task.id });
    resolveEscalations((e) => e.taskId === task.id, 'REASSIGN', reason);
  }

  function validateReassign({ taskId, requestedBy, toAgency, reason }: ReassignTaskInput): void {
    const task = findOpenTask(taskId);
    requireOperativeGroup(requestedBy, 'reassign a task');
    requireText(reason, 'reason');
    if (typeof toAgency !== 'string' || toAgency.length === 0)
      refuse('toAgency must name an agency', FailureType.InvalidInput);
    if (toAgency === task.agency) refuse(`the task is already with ${toAgency}`, FailureType.TaskConflict);
  }

  setHandler(
    reassignTaskUpdate,
    async (command: ReassignTaskInput) => {
      validateReassign(command);
      reassign(findOpenTask(command.taskId), command.toAgency, command.reason.trim(), command.requestedBy);
      return settle();
    },
    { validator: validateReassign },
  );

  /** A new deadline restarts the ladder: reminders count from now, escalations so far are answered. */
  function extend(task: Task, dueAt: string, reason: string, requestedBy: string): void {
    const from = task.dueAt;
    task.dueAt = new Date(dueAt).toISOString();
    task.windowStart = nowIso();
    task.remindersSent = 0;
    task.overdue = false;
    task.escalationLevel = 0;
    // The deadline no longer follows the release date: the operative group set it.
    delete task.dueRule;
    touch(task);
    record(
      'DEADLINE_EXTENDED',
      { key: task.key, from, to: task.dueAt, reason },
      { agency: requestedBy, taskId: task.id },
    );
    resolveEscalations((e) => e.taskId === task.id, 'EXTEND', reason);
    slaChanged();
  }

  function validateExtend({ taskId, requestedBy, dueAt, reason }: ExtendTaskInput): void {
    findOpenTask(taskId);
    requireOperativeGroup(requestedBy, 'extend a deadline');
    requireText(reason, 'reason');
    const at = typeof dueAt === 'string' ? Date.parse(dueAt) : NaN;
    // A year past 9999 has no ISO form PostgreSQL reads: the read model could never take it.
    if (!Number.isNaN(at) && new Date(at).getUTCFullYear() > 9999)
      refuse('dueAt must be a time before the year 10000', FailureType.InvalidInput);
    if (Number.isNaN(at) || at <= now().getTime())
      refuse('dueAt must be a time in the future', FailureType.InvalidInput);
  }

  setHandler(
    extendTaskUpdate,
    async (command: ExtendTaskInput) => {
      validateExtend(command);
      extend(findOpenTask(command.taskId), command.dueAt, command.reason.trim(), command.requestedBy);
      return settle();
    },
    { validator: validateExtend },
  );

  function validateCancel({ taskId, requestedBy, reason }: CancelTaskInput): void {
    findOpenTask(taskId);
    requireOperativeGroup(requestedBy, 'cancel a task');
    requireText(reason, 'reason');
  }

  setHandler(
    cancelTaskUpdate,
    async (command: CancelTaskInput) => {
      validateCancel(command);
      cancelTask(findOpenTask(command.taskId), command.reason.trim());
      return settle();
    },
    { validator: validateCancel },
  );

  function validateResolve(command: ResolveEscalationInput): void {
    const escalation = state.escalations.find((e) => e.id === command.escalationId);
    if (!escalation) refuse('escalation not found', FailureType.EscalationNotFound);
    if (escalation.status !== 'OPEN')
      refuse(`the escalation is already ${escalation.status}`, FailureType.EscalationResolved);
    requireOperativeGroup(command.requestedBy, 'resolve an escalation');
    requireText(command.note, 'note');
    if (command.decision !== 'NOTE') {
      if (!escalation.taskId)
        refuse(`a stalled pathway is resolved with NOTE, not ${command.decision}`, FailureType.InvalidInput);
      const task = state.tasks.find((t) => t.id === escalation.taskId);
      if (!task || !isOpen(task)) refuse('the task is no longer open; resolve with NOTE', FailureType.TaskConflict);
      if (command.decision === 'EXTEND')
        validateExtend({
          taskId: task.id,
          requestedBy: command.requestedBy,
          dueAt: command.dueAt ?? '',
          reason: command.note,
        });
      if (command.decision === 'REASSIGN')
        validateReassign({
          taskId: task.id,
          requestedBy: command.requestedBy,
          toAgency: command.toAgency ?? '',
          reason: command.note,
        });
    }
  }

  setHandler(
    resolveEscalationUpdate,
    async (command: ResolveEscalationInput) => {
      validateResolve(command);
      const escalation = state.escalations.find((e) => e.id === command.escalationId)!;
      const task = escalation.taskId ? state.tasks.find((t) => t.id === escalation.taskId) : undefined;
      const note = command.note.trim();
      // The decision acts on the task; the escalation (and the task's others) are answered by it.
      if (command.decision === 'EXTEND' && task) extend(task, command.dueAt!, note, command.requestedBy);
      if (command.decision === 'REASSIGN' && task) reassign(task, command.toAgency!, note, command.requestedBy);
      if (command.decision === 'CANCEL_TASK' && task) cancelTask(task, note);
      resolveEscalations((e) => e.id === escalation.id, command.decision, note);
      return settle();
    },
    { validator: validateResolve },
  );

  function refuseEvent(event: PathwayEvent): void {
    const refusal = eventRefusal(state.stage, event.data.type);
    if (refusal) throw ApplicationFailure.nonRetryable(refusal, FailureType.EventRefused);
    const { type, ...fields } = event.data;
    const problems = eventDataProblems(type, fields);
    if (problems.length > 0) {
      throw ApplicationFailure.nonRetryable(
        problems.map((p) => `${p.field} ${p.reason}`).join('; '),
        FailureType.InvalidInput,
      );
    }
    if (event.data.type === 'RELEASE_DATE_CHANGED' && !state.releaseAt && state.stage !== 'CUSTODY') {
      throw ApplicationFailure.nonRetryable('there is no expected release date to change', FailureType.EventRefused);
    }
  }

  setHandler(
    recordEventUpdate,
    async (event: PathwayEvent) => {
      refuseEvent(event);
      applyEvent(event);
      return settle();
    },
    { validator: refuseEvent },
  );

  function refuseMigration({ playbook: next, reason }: MigratePlaybookInput): void {
    if (state.stage === 'CLOSED')
      throw ApplicationFailure.nonRetryable('the pathway is closed', FailureType.PlaybookRefused);
    if (!next || typeof next.version !== 'number' || next.version <= playbook.version) {
      throw ApplicationFailure.nonRetryable(
        `the pathway is on playbook version ${playbook.version}; it can only move to a newer one`,
        FailureType.PlaybookRefused,
      );
    }
    if (typeof reason !== 'string' || reason.trim().length === 0) {
      throw ApplicationFailure.nonRetryable('a reason is required', FailureType.InvalidInput);
    }
  }

  setHandler(
    migratePlaybookUpdate,
    async (migration: MigratePlaybookInput) => {
      refuseMigration(migration);
      const from = playbook.version;
      playbook = migration.playbook;
      record(
        'PLAYBOOK_MIGRATED',
        { from: String(from), to: String(playbook.version), reason: migration.reason.trim() },
        { agency: migration.requestedBy },
      );
      dirty = true;
      return settle();
    },
    { validator: refuseMigration },
  );

  // ---- the pathway's life ----------------------------------------------------------------------------------

  if (!input.state) {
    record(
      'PATHWAY_OPENED',
      { stage: state.stage, district: state.district, sourceAgency: contact.sourceAgency },
      {
        agency: contact.sourceAgency,
      },
    );
    enterStageOnOpen();
  }
  updateSearchAttributes();
  await flush();

  const maxHistory = input.maxHistoryEvents ?? DEFAULT_MAX_HISTORY_EVENTS;
  const continueAsNewDue = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > maxHistory;

  while (state.stage !== 'CLOSED') {
    if (continueAsNewDue()) {
      await condition(allHandlersFinished);
      await flush();
      await continueAsNew<typeof pathwayWorkflow>({
        ...input,
        playbook,
        state: { ...state, runs: runs() + 1 },
      });
    }
    const wake = nextWakeUp();
    const wait = wake === undefined ? undefined : wake - now().getTime();
    dirty = false;
    if (wait === undefined) {
      await condition(() => dirty || state.stage === 'CLOSED' || continueAsNewDue());
    } else if (wait > 0) {
      await condition(() => dirty || state.stage === 'CLOSED' || continueAsNewDue(), wait);
    }
    if ((state.stage as Stage) === 'CLOSED') break;
    fireDueTimers();
    if (state.pendingTimeline.length > 0) {
      updateSearchAttributes();
      await flush();
    }
  }
  await condition(allHandlersFinished);
  updateSearchAttributes();
  await flush();

  /** CONTACT's tasks are planned as any stage's, without a STAGE_CHANGED entry: the pathway starts there. */
  function enterStageOnOpen(): void {
    const at = now();
    for (const plan of planStageTasks(playbook, 'CONTACT', {
      now: at,
      age: age(at),
      livesWithParents: person.livesWithParents,
    })) {
      state.waiting.push({ plan, stage: 'CONTACT', announced: false });
    }
    releaseWaiting();
  }
}

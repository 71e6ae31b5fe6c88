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
import type { Activities, PathwayProjection } from '../activities';
import {
  FailureType,
  OUTCOME_MAX_LENGTH,
  ageOn,
  birthdayOf,
  completeTaskUpdate,
  copenhagenTime,
  dueFrom,
  eventDataProblems,
  eventRefusal,
  migratePlaybookUpdate,
  pathwayAgenciesKey,
  pathwayDistrictKey,
  pathwayStageKey,
  pathwayTrackKey,
  planStageTasks,
  recordEventUpdate,
  releaseInstant,
  releasePlanningStart,
  stageAfterTasks,
  statusQuery,
  syncUpdate,
  timelineEntryId,
  type CompleteTaskInput,
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
} from '../libs/domain/src';
import { dbWrite } from './activity-options';

const { projectPathway } = proxyActivities<Activities>(dbWrite);

const DEFAULT_MAX_HISTORY_EVENTS = 10_000;

const isOpen = (task: Task) => task.status === 'OPEN' || task.status === 'CLAIMED';

export async function pathwayWorkflow(input: PathwayInput): Promise<void> {
  const { pathwayId, person, contact } = input;
  let playbook: Playbook = input.playbook;
  const now = () => new Date();
  const nowIso = () => now().toISOString();

  const state: PathwayState = input.state ?? {
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
  };
  // A new run starts after a final flush, so everything it carries is already in the read model.
  let projectedVersion = state.projectedOnce ? state.version : 0;
  // Set by handlers when a timer-relevant fact changes, so the main loop recomputes its next wake-up.
  let dirty = false;
  let writes: Promise<void> = Promise.resolve();

  const adultAge = () => playbook.ageHandover?.age ?? 18;
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

  function progress(): void {
    state.lastProgressAt = nowIso();
  }

  // ---- tasks -----------------------------------------------------------------------------------------------

  function unmetRequirements(plan: PlannedTask): string[] {
    return plan.requires.filter((r) => (r === 'consent' ? !state.consent : state.motivated !== true));
  }

  function createTask(plan: PlannedTask, stage: Stage): void {
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
    };
    // An under-age agency's task planned after the handover goes straight to the adult agency.
    if (state.handedOver) task.agency = playbook.ageHandover?.agencies[task.agency] ?? task.agency;
    state.tasks.push(task);
    touch(task);
    record('TASK_CREATED', { key: task.key, stage }, { agency: task.agency, taskId: task.id });
  }

  function cancelTask(task: Task, reason: string): void {
    task.status = 'CANCELLED';
    task.cancelReason = reason;
    task.completedAt = nowIso();
    touch(task);
    record('TASK_CANCELLED', { key: task.key, reason }, { agency: task.agency, taskId: task.id });
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

  function nextWakeUp(): number | undefined {
    const times = [
      planningStartsAt(),
      handoverAt(),
      ...state.waiting.filter((w) => w.createAt).map((w) => new Date(w.createAt!)),
    ]
      .filter((d): d is Date => d !== undefined)
      .map((d) => d.getTime());
    return times.length > 0 ? Math.min(...times) : undefined;
  }

  function fireDueTimers(): void {
    const at = now().getTime();
    const handover = handoverAt();
    if (handover && handover.getTime() <= at) handOverToAdultAgencies();
    const planning = planningStartsAt();
    if (planning && planning.getTime() <= at) enterStage('RELEASE_PLANNING');
    if (state.waiting.some((w) => w.createAt && new Date(w.createAt).getTime() <= at)) releaseWaiting();
  }

  function handOverToAdultAgencies(): void {
    state.handedOver = true;
    const agencies = playbook.ageHandover?.agencies ?? {};
    for (const task of state.tasks.filter((t) => isOpen(t) && agencies[t.agency])) {
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
            cancelTask(task, `track changed to ${data.track}`);
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
      ...(state.track ? [{ key: pathwayTrackKey, value: state.track }] : []),
    ]);
  }

  /** Writes every pending change to the read model; resolves once this call's changes are there. */
  function flush(): Promise<void> {
    const run = writes.then(async () => {
      if (state.pendingTaskIds.length === 0 && state.pendingTimeline.length === 0 && state.projectedOnce) return;
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
        tasks,
        timeline: state.pendingTimeline,
        ...(state.projectedOnce ? {} : { person, contact }),
      };
      state.pendingTaskIds = [];
      state.pendingTimeline = [];
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

  setHandler(
    completeTaskUpdate,
    async ({ taskId, outcome, completedBy }: CompleteTaskInput) => {
      // Two completions validated in one activation: the second one finds the task done here.
      const task = findOpenTask(taskId);
      task.status = 'DONE';
      task.outcome = outcome.trim();
      task.completedAt = nowIso();
      task.completedBy = completedBy;
      progress();
      touch(task);
      record('TASK_COMPLETED', { key: task.key, outcome: task.outcome }, { agency: completedBy, taskId });
      return settle();
    },
    {
      validator: ({ taskId, outcome, completedBy }: CompleteTaskInput) => {
        findOpenTask(taskId);
        if (typeof outcome !== 'string' || outcome.trim().length === 0 || outcome.length > OUTCOME_MAX_LENGTH) {
          throw ApplicationFailure.nonRetryable(
            `outcome must be a non-empty text of at most ${OUTCOME_MAX_LENGTH} characters`,
            FailureType.InvalidInput,
          );
        }
        if (typeof completedBy !== 'string' || completedBy.length === 0) {
          throw ApplicationFailure.nonRetryable('completedBy must name an agency', FailureType.InvalidInput);
        }
      },
    },
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

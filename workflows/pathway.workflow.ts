// One workflow per person's pathway: the source of truth for where the person stands and which agency owes
// which task. Deterministic: all I/O goes through activities; time is the workflow's own clock.
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  uuid4,
} from '@temporalio/workflow';
import type { Activities, PathwayProjection } from '../activities';
import {
  FailureType,
  OUTCOME_MAX_LENGTH,
  ageOn,
  completeTaskUpdate,
  pathwayAgenciesKey,
  pathwayStageKey,
  planStageTasks,
  stageAfterTasks,
  statusQuery,
  syncUpdate,
  timelineEntryId,
  type CompleteTaskInput,
  type PathwayInput,
  type PathwayStatus,
  type Stage,
  type Task,
  type TimelineEntry,
  type TimelineKind,
} from '../libs/domain/src';
import { dbWrite } from './activity-options';

const { projectPathway } = proxyActivities<Activities>(dbWrite);

export async function pathwayWorkflow(input: PathwayInput): Promise<void> {
  const { pathwayId, person, contact, playbook } = input;
  const openedAt = new Date().toISOString();
  let stage: Stage = 'CONTACT';
  let version = 0;
  let projectedVersion = 0;
  let timelineSequence = 0;
  let lastProgressAt = openedAt;
  const tasks: Task[] = [];

  // Changes not yet in the read model; flushed in order by one chain of activity calls.
  let changedTasks = new Map<string, Task>();
  let newEntries: TimelineEntry[] = [];
  let firstBatch = true;
  let writes: Promise<void> = Promise.resolve();

  const status = (): PathwayStatus => ({
    pathwayId,
    stage,
    playbookVersion: playbook.version,
    tasks: tasks.map((t) => ({ ...t })),
    version,
  });

  function record(kind: TimelineKind, detail: Record<string, string>, extra: Partial<TimelineEntry> = {}): void {
    version += 1;
    timelineSequence += 1;
    newEntries.push({
      id: timelineEntryId(pathwayId, timelineSequence),
      sequence: timelineSequence,
      at: new Date().toISOString(),
      kind,
      detail,
      ...extra,
    });
  }

  function touch(task: Task): void {
    changedTasks.set(task.id, { ...task });
  }

  function createStageTasks(forStage: Stage): void {
    const now = new Date();
    const planned = planStageTasks(playbook, forStage, {
      now,
      age: ageOn(person.birthDate, now),
      livesWithParents: person.livesWithParents,
    });
    for (const plan of planned) {
      const task: Task = {
        id: uuid4(),
        pathwayId,
        key: plan.key,
        stage: forStage,
        agency: plan.agency,
        type: plan.type,
        title: plan.title,
        status: 'OPEN',
        createdAt: now.toISOString(),
        dueAt: plan.dueAt.toISOString(),
      };
      tasks.push(task);
      touch(task);
      record('TASK_CREATED', { key: task.key, stage: forStage }, { agency: task.agency, taskId: task.id });
    }
  }

  function enterStage(next: Stage): void {
    const from = stage;
    stage = next;
    lastProgressAt = new Date().toISOString();
    record('STAGE_CHANGED', { from, to: next });
    createStageTasks(next);
    updateSearchAttributes();
  }

  function updateSearchAttributes(): void {
    const agencies = [
      ...new Set(tasks.filter((t) => t.status === 'OPEN' || t.status === 'CLAIMED').map((t) => t.agency)),
    ];
    upsertSearchAttributes([
      { key: pathwayStageKey, value: stage },
      { key: pathwayAgenciesKey, value: agencies.sort() },
    ]);
  }

  /** Writes every pending change to the read model; resolves once this call's changes are there. */
  function flush(): Promise<void> {
    const run = writes.then(async () => {
      if (changedTasks.size === 0 && newEntries.length === 0 && !firstBatch) return;
      const batch: PathwayProjection = {
        pathwayId,
        workflowId: `pathway-${pathwayId}`,
        version,
        stage,
        district: person.district,
        playbookVersion: playbook.version,
        openedAt,
        lastProgressAt,
        tasks: [...changedTasks.values()],
        timeline: newEntries,
        ...(firstBatch ? { person, contact } : {}),
      };
      changedTasks = new Map();
      newEntries = [];
      firstBatch = false;
      await projectPathway(batch);
      projectedVersion = Math.max(projectedVersion, batch.version);
    });
    writes = run;
    return run;
  }

  setHandler(statusQuery, status);

  setHandler(syncUpdate, async () => {
    await condition(() => !firstBatch && projectedVersion >= version);
    return status();
  });

  setHandler(
    completeTaskUpdate,
    async ({ taskId, outcome, completedBy }: CompleteTaskInput) => {
      const task = tasks.find((t) => t.id === taskId);
      if (!task) throw ApplicationFailure.nonRetryable('task not found', FailureType.TaskNotFound);
      // Two completions validated in one activation: the second one finds the task done here.
      if (task.status !== 'OPEN' && task.status !== 'CLAIMED') {
        throw ApplicationFailure.nonRetryable(`task is already ${task.status}`, FailureType.TaskNotOpen);
      }
      const now = new Date().toISOString();
      task.status = 'DONE';
      task.outcome = outcome.trim();
      task.completedAt = now;
      task.completedBy = completedBy;
      lastProgressAt = now;
      touch(task);
      record('TASK_COMPLETED', { key: task.key, outcome: task.outcome }, { agency: completedBy, taskId });
      const next = stageAfterTasks(stage, tasks);
      if (next) enterStage(next);
      else updateSearchAttributes();
      await flush();
      return status();
    },
    {
      validator: ({ taskId, outcome, completedBy }: CompleteTaskInput) => {
        const task = tasks.find((t) => t.id === taskId);
        if (!task) throw ApplicationFailure.nonRetryable('task not found', FailureType.TaskNotFound);
        if (task.status !== 'OPEN' && task.status !== 'CLAIMED') {
          throw ApplicationFailure.nonRetryable(`task is already ${task.status}`, FailureType.TaskNotOpen);
        }
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

  record(
    'PATHWAY_OPENED',
    { stage, district: person.district, sourceAgency: contact.sourceAgency },
    {
      agency: contact.sourceAgency,
    },
  );
  createStageTasks('CONTACT');
  updateSearchAttributes();
  await flush();

  await condition(() => stage === 'CLOSED');
  await condition(allHandlersFinished);
  await flush();
}

// Reconciliation (issue 14, item 5): each open pathway's workflow status (the `status` query) against its read model.
// A pathway whose read model differs (stage, track, district, consent, playbook, stalled, priority, version, or a task's
// status, agency, assignee or deadline) is repaired by writing the workflow's state through the projection again
// (ProjectionRepository.apply in repair mode); a running pathway workflow without any read-model row is counted as
// missing. The person too (issue 13): the workflow's `person` query (the person as last corrected, the first contact)
// against the person row, which must exist, open with the person's key and hold the same fields, and against the
// search tokens, which must be exactly those of the person under the current index key; a difference is drift,
// repaired by sealing the row and remaking the tokens from the workflow's record (ProjectionRepository.repairPerson).
// Never for an erased person. Run by reconcileWorkflow, on a schedule and from POST /admin/reconciliation; each run is
// a row in reconciliation_runs (the drift metric).
import { heartbeat } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import {
  PATHWAY_WORKFLOW_TYPE,
  pathwayWorkflowId,
  type PathwayPersonRecord,
  type PathwayProjection,
  type PathwayStatus,
} from '../libs/domain/src';
import type { PersonKeys } from '../libs/persistence/src/person-keys';
import type { PersonSearchIndex } from '../libs/persistence/src/person-search';
import type { ProjectionRepository, SealedPerson } from '../libs/persistence/src/projection.repository';
import type {
  ReconciledPathwayRow,
  ReconciledPersonRow,
  ReconciledTaskRow,
  ReconciliationRepository,
} from '../libs/persistence/src/reconciliation.repository';

export interface ReconcileActivityDeps {
  temporal: Client;
  taskQueue: string;
  reconciliation: ReconciliationRepository;
  projections: ProjectionRepository;
}

/** What one run found: counts, and the drifted pathways by id with the names of the fields that differed. */
export interface ReconciliationSummary {
  checked: number;
  drifted: number;
  repaired: number;
  /** Running pathway workflows with no read-model row. */
  missing: number;
  /** Open in the read model, but the workflow did not answer its status query (gone, or not in time). */
  unreachable: number;
  drift: { pathwayId: string; fields: string[] }[];
}

const PAGE = 200;
const CONCURRENT_QUERIES = 8;
const QUERY_DEADLINE_MS = 5000;
/** How long a pathway that looks drifted is given for a write in flight before it is compared again. */
const SETTLE_MS = 1000;

const iso = (d: Date | null | undefined): string | undefined => (d ? new Date(d).toISOString() : undefined);

/** The fields in which the read model differs from the workflow: an empty list is no drift. */
export function driftOf(row: ReconciledPathwayRow, tasks: ReconciledTaskRow[], status: PathwayStatus): string[] {
  const fields: string[] = [];
  const same = (name: string, a: unknown, b: unknown) => {
    if ((a ?? null) !== (b ?? null)) fields.push(name);
  };
  same('stage', row.stage, status.stage);
  same('track', row.track, status.track);
  same('district', row.district, status.district);
  same('consent', row.consent, status.consent);
  same('playbookVersion', row.playbookVersion, status.playbookVersion);
  same('stalled', row.stalled, status.stalled);
  same('priority', row.priority, status.priority ?? 'NORMAL');
  same('version', row.version, status.version);
  const rows = new Map(tasks.map((t) => [t.id, t]));
  for (const task of status.tasks) {
    const stored = rows.get(task.id);
    rows.delete(task.id);
    if (!stored) {
      fields.push(`task ${task.id}: missing`);
      continue;
    }
    const differs = [
      stored.status !== task.status && 'status',
      stored.agency !== task.agency && 'agency',
      (stored.assignee ?? undefined) !== task.assignee && 'assignee',
      iso(stored.dueAt) !== iso(new Date(task.dueAt)) && 'dueAt',
    ].filter((f): f is string => typeof f === 'string');
    if (differs.length > 0) fields.push(`task ${task.id}: ${differs.join(', ')}`);
  }
  for (const id of rows.keys()) fields.push(`task ${id}: not in the workflow`);
  return fields;
}

/** The workflow's state as a projection batch; what the status does not carry comes from the row. */
function projectionOf(row: ReconciledPathwayRow, status: PathwayStatus): PathwayProjection {
  return {
    pathwayId: row.id,
    workflowId: pathwayWorkflowId(row.id),
    version: status.version,
    stage: status.stage,
    ...(status.track ? { track: status.track } : {}),
    district: status.district,
    playbookVersion: status.playbookVersion,
    openedAt: row.openedAt.toISOString(),
    stageEnteredAt: row.stageEnteredAt.toISOString(),
    lastProgressAt: row.lastProgressAt.toISOString(),
    consent: status.consent,
    ...(status.motivated !== undefined ? { motivated: status.motivated } : {}),
    ...(status.expectedReleaseAt ? { expectedReleaseAt: status.expectedReleaseAt } : {}),
    stalled: status.stalled,
    // Always named, so a repair writes the pathway's tasks' mark (tasks.prioritized) too.
    priority: status.priority ?? 'NORMAL',
    tasks: status.tasks,
    // The timeline and the notifications were written (or are in the outbox) once; a repair sends nothing again.
    timeline: [],
    escalations: status.escalations,
    notifications: [],
  };
}

/** The person fields of a row: opened with the person's key, or the plaintext of a row from before the keys. */
async function storedPerson(row: ReconciledPersonRow, keys: PersonKeys): Promise<SealedPerson | undefined> {
  if (row.sealed) {
    if (!row.keyId) return undefined;
    try {
      return await keys.open<SealedPerson>(row.keyId, row.sealed);
    } catch {
      return undefined;
    }
  }
  if (row.name === null || row.birthDate === null || row.contactContext === null) return undefined;
  return {
    name: row.name,
    birthDate: row.birthDate,
    livesWithParents: row.livesWithParents,
    contactContext: row.contactContext,
    contactTargetGroup: row.contactTargetGroup,
  };
}

/**
 * Where the read model's person differs from the workflow's record: the row missing, unreadable (not opened by the
 * person's key) or holding other fields; the search tokens missing or not those of the person. Names fields only,
 * never a value.
 */
export async function personDriftOf(
  row: ReconciledPersonRow | undefined,
  tokens: readonly string[],
  record: PathwayPersonRecord,
  keys: PersonKeys,
  index: PersonSearchIndex,
): Promise<string[]> {
  const fields: string[] = [];
  if (!row) fields.push('person: missing');
  else {
    const stored = await storedPerson(row, keys);
    if (!stored) fields.push('person: unreadable');
    else {
      const { person, contact } = record;
      const differs =
        stored.name !== person.name ||
        stored.birthDate !== person.birthDate ||
        (stored.livesWithParents ?? null) !== (person.livesWithParents ?? null) ||
        stored.contactContext !== contact.context ||
        (stored.contactTargetGroup ?? null) !== (contact.targetGroup ?? null) ||
        row.contactSourceAgency !== contact.sourceAgency ||
        new Date(row.contactOccurredAt).getTime() !== new Date(contact.occurredAt).getTime();
      if (differs) fields.push('person: differs');
    }
  }
  const expected = [...new Set(index.tokensOf(record.person))].sort();
  const actual = [...tokens].sort();
  if (actual.length === 0) fields.push('person search tokens: missing');
  else if (expected.length !== actual.length || expected.some((token, i) => token !== actual[i]))
    fields.push('person search tokens: stale');
  return fields;
}

async function inBatches<T>(items: T[], size: number, run: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run));
}

export function createReconcileActivities(deps: ReconcileActivityDeps) {
  const { temporal, taskQueue, reconciliation, projections } = deps;

  async function statusOf(id: string): Promise<PathwayStatus | undefined> {
    try {
      return await temporal.withDeadline(Date.now() + QUERY_DEADLINE_MS, () =>
        temporal.workflow.getHandle(pathwayWorkflowId(id)).query<PathwayStatus>('status'),
      );
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      // A query the worker could not answer in time counts as unreachable; the next run tries again.
      return undefined;
    }
  }

  /** The workflow's person record; undefined when it does not answer (a worker from before the query, a timeout). */
  async function personOf(id: string): Promise<PathwayPersonRecord | undefined> {
    try {
      return await temporal.withDeadline(Date.now() + QUERY_DEADLINE_MS, () =>
        temporal.workflow.getHandle(pathwayWorkflowId(id)).query<PathwayPersonRecord>('person'),
      );
    } catch {
      return undefined;
    }
  }

  async function personDrift(id: string, record: PathwayPersonRecord): Promise<string[]> {
    const index = projections.personSearchIndex;
    const [row, tokens] = await Promise.all([
      reconciliation.personOf(id),
      reconciliation.searchTokensOf(id, index.keyId),
    ]);
    return personDriftOf(row, tokens, record, projections.keys, index);
  }

  return {
    async reconcilePathways(trigger: 'SCHEDULE' | 'ADMIN'): Promise<ReconciliationSummary> {
      const startedAt = new Date();
      const summary: ReconciliationSummary = {
        checked: 0,
        drifted: 0,
        repaired: 0,
        missing: 0,
        unreachable: 0,
        drift: [],
      };
      let after: string | undefined;
      for (;;) {
        const page = await reconciliation.openPathways(after, PAGE);
        if (page.length === 0) break;
        after = page[page.length - 1].id;
        const tasks = await reconciliation.tasksOf(page.map((p) => p.id));
        await inBatches(page, CONCURRENT_QUERIES, async (row) => {
          const status = await statusOf(row.id);
          summary.checked++;
          if (!status) {
            summary.unreachable++;
            return;
          }
          const compare = async (pathway: ReconciledPathwayRow, now: PathwayStatus, taskRows: ReconciledTaskRow[]) => {
            const state = driftOf(pathway, taskRows, now);
            const record = pathway.erased ? undefined : await personOf(pathway.id);
            const person = record ? await personDrift(pathway.id, record) : [];
            return { state, person, record };
          };
          const first = await compare(
            row,
            status,
            tasks.filter((t) => t.pathwayId === row.id),
          );
          if (first.state.length === 0 && first.person.length === 0) return;
          // A write may be on its way (a timer fired, a command is being answered): look again after it had time.
          await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
          const [again, latest] = await Promise.all([
            statusOf(row.id),
            reconciliation.openPathways(undefined, 1, row.id),
          ]);
          if (!again || !latest[0]) return;
          const found = await compare(latest[0], again, await reconciliation.tasksOf([row.id]));
          if (found.state.length === 0 && found.person.length === 0) return;
          summary.drifted++;
          summary.drift.push({ pathwayId: row.id, fields: [...found.state, ...found.person] });
          if (found.state.length > 0) {
            await projections.apply(projectionOf(latest[0], again), { repair: true });
            await reconciliation.deleteTasks(
              row.id,
              again.tasks.map((t) => t.id),
            );
          }
          if (found.person.length > 0 && found.record) {
            await projections.repairPerson(row.id, found.record, again.version);
          }
          summary.repaired++;
        });
        heartbeat(after);
      }
      // Running pathway workflows of this task queue that the read model has never heard of.
      const running: string[] = [];
      for await (const execution of temporal.workflow.list({
        query: `WorkflowType = '${PATHWAY_WORKFLOW_TYPE}' AND ExecutionStatus = 'Running' AND TaskQueue = '${taskQueue}'`,
      })) {
        const id = execution.workflowId.replace(/^pathway-/, '');
        if (/^[0-9a-f-]{36}$/.test(id)) running.push(id);
      }
      for (let i = 0; i < running.length; i += 500) {
        const known = await reconciliation.known(running.slice(i, i + 500));
        summary.missing += running.slice(i, i + 500).filter((id) => !known.has(id)).length;
      }
      await reconciliation.recordRun({ trigger, startedAt, ...summary });
      return summary;
    },
  };
}

export type ReconcileActivities = ReturnType<typeof createReconcileActivities>;

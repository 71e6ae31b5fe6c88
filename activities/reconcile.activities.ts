// Reconciliation (issue 14, item 5): each open pathway's workflow status (the `status` query) against its read model.
// A pathway whose read model differs (stage, track, district, consent, playbook, stalled, priority, version, or a task's
// status, agency, assignee or deadline) is repaired by writing the workflow's state through the projection again
// (ProjectionRepository.apply in repair mode); a running pathway workflow without any read-model row is counted as
// missing (its person is only in its first batch, which the status does not carry). Run by reconcileWorkflow, on a
// schedule and from POST /admin/reconciliation; each run is a row in reconciliation_runs (the drift metric).
import { heartbeat } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import {
  PATHWAY_WORKFLOW_TYPE,
  pathwayWorkflowId,
  type PathwayProjection,
  type PathwayStatus,
} from '../libs/domain/src';
import type { ProjectionRepository } from '../libs/persistence/src/projection.repository';
import type {
  ReconciledPathwayRow,
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
          if (
            driftOf(
              row,
              tasks.filter((t) => t.pathwayId === row.id),
              status,
            ).length === 0
          )
            return;
          // A write may be on its way (a timer fired, a command is being answered): look again after it had time.
          await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
          const [again, latest] = await Promise.all([
            statusOf(row.id),
            reconciliation.openPathways(undefined, 1, row.id),
          ]);
          if (!again || !latest[0]) return;
          const fields = driftOf(latest[0], await reconciliation.tasksOf([row.id]), again);
          if (fields.length === 0) return;
          summary.drifted++;
          summary.drift.push({ pathwayId: row.id, fields });
          await projections.apply(projectionOf(latest[0], again), { repair: true });
          await reconciliation.deleteTasks(
            row.id,
            again.tasks.map((t) => t.id),
          );
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

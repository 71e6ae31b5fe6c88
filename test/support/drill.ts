// Pathways that run in seconds: the v1 playbook with every span shrunk to seconds, and helpers to drive a
// pathway through Temporal and look at it the way an agency does (its queue over HTTP).
import { randomUUID } from 'node:crypto';
import type { WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import {
  PATHWAY_WORKFLOW_TYPE,
  pathwayWorkflowId,
  type DueRule,
  type EventData,
  type PathwayWorkflowInput,
  type PlaybookPin,
  type PathwayStatus,
  type Playbook,
} from '../../libs/domain/src';
import { completeTaskUpdate, recordEventUpdate, statusQuery, syncUpdate } from '../../workflows/pathway/messages';
import playbookV1 from '../../libs/domain/playbooks/v1.json';
import { birthDateForAge, http, type TestStack } from './stack';

/** One real day of the playbook is this many seconds in a drill (at least 1). */
function seconds(days: number): number {
  return Math.max(1, Math.ceil(days / 20));
}

function shrink(rule: DueRule): DueRule {
  switch (rule.kind) {
    case 'workingDays':
    case 'calendarDays':
      return { kind: 'duration', seconds: 60 };
    case 'beforeRelease':
      return { kind: 'beforeRelease', seconds: seconds(rule.days ?? 0) };
    default:
      return rule;
  }
}

/**
 * One Jobcenter task at contact. By default due in 2 s: overdue at once, and so escalated to the operative group
 * (level 1); a test that wants no ladder step in its way gives deadlines far off.
 */
export function quickJobcenterPlaybook(
  name: string,
  { dueSeconds = 2, reminderShare = 0.5, escalateAfterSeconds = 600 } = {},
): Playbook {
  return {
    version: 0,
    name,
    stages: {
      CONTACT: {
        tasks: [
          {
            key: 'quick-task',
            agency: 'JOBCENTER',
            type: 'INCOME_ON_RELEASE',
            title: 'Forsørgelse',
            due: { kind: 'duration', seconds: dueSeconds },
            reminderShare,
            escalateAfter: { kind: 'duration', seconds: escalateAfterSeconds },
          },
        ],
      },
    },
  };
}

/** v1 in seconds: deadlines 60 s, follow-ups 2/4/6 s after FOLLOW_UP starts, release planning 5 s before release. */
export function drillPlaybook(version = 1001): Playbook {
  const v1 = structuredClone(playbookV1) as Playbook;
  const followUps: Record<string, number> = { 'follow-up-3m': 2, 'follow-up-6m': 4, 'follow-up-12m': 6 };
  for (const plan of Object.values(v1.stages)) {
    for (const task of plan!.tasks) {
      task.due = shrink(task.due);
      if (task.escalateAfter) task.escalateAfter = { kind: 'duration', seconds: 30 };
      if (task.startAfter) task.startAfter = { kind: 'duration', seconds: followUps[task.key] };
    }
  }
  return { ...v1, version, name: `drill ${version}`, releasePlanning: { leadTime: { kind: 'duration', seconds: 5 } } };
}

export async function publish(stack: TestStack, playbook: Playbook): Promise<void> {
  await stack.db.query(`INSERT INTO playbooks (version, name, definition) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
    playbook.version,
    playbook.name,
    playbook,
  ]);
}

export interface Drill {
  id: string;
  handle: WorkflowHandleWithFirstExecutionRunId;
  event(data: EventData, recordedBy?: string): Promise<PathwayStatus>;
  complete(key: string, outcome?: string): Promise<PathwayStatus>;
  status(): Promise<PathwayStatus>;
}

export async function startDrill(
  stack: TestStack,
  options: {
    age: number;
    playbook: Playbook;
    /** Start with the playbook pinned (it must be published), as the API does, instead of whole. */
    pinned?: PlaybookPin;
    adultAt?: Date;
    maxHistoryEvents?: number;
    name?: string;
    livesWithParents?: boolean;
  },
): Promise<Drill> {
  const id = randomUUID();
  const input: PathwayWorkflowInput = {
    pathwayId: id,
    person: {
      name: options.name ?? 'Drill Person',
      birthDate: birthDateForAge(options.age),
      district: 'YDRE_NORREBRO',
      ...(options.livesWithParents !== undefined ? { livesWithParents: options.livesWithParents } : {}),
    },
    contact: { sourceAgency: 'POLICE_LOCAL', occurredAt: new Date().toISOString(), context: 'Øvelse' },
    ...(options.pinned ? { playbookPin: options.pinned } : { playbook: options.playbook }),
    ...(options.adultAt ? { adultAt: options.adultAt.toISOString() } : {}),
    ...(options.maxHistoryEvents ? { maxHistoryEvents: options.maxHistoryEvents } : {}),
  };
  const handle = await stack.client.workflow.start(PATHWAY_WORKFLOW_TYPE, {
    workflowId: pathwayWorkflowId(id),
    taskQueue: stack.temporal.taskQueue,
    args: [input],
  });
  await handle.executeUpdate(syncUpdate);
  const drill: Drill = {
    id,
    handle,
    event: (data, recordedBy = 'OPERATIVE_GROUP') =>
      handle.executeUpdate(recordEventUpdate, { args: [{ occurredAt: new Date().toISOString(), recordedBy, data }] }),
    async complete(key, outcome = 'DONE') {
      const open = (await drill.status()).tasks.filter(
        (t) => t.key === key && (t.status === 'OPEN' || t.status === 'CLAIMED'),
      );
      if (open.length !== 1) throw new Error(`expected one open task ${key}, found ${open.length}`);
      return handle.executeUpdate(completeTaskUpdate, {
        args: [{ taskId: open[0].id, outcome, completedBy: open[0].agency }],
      });
    },
    status: () => handle.query(statusQuery),
  };
  return drill;
}

/** The open tasks of one pathway in an agency's queue, as the agency (signed in `as`) sees them over HTTP: their keys. */
export async function queueKeys(stack: TestStack, agency: string, pathwayId: string, as: string): Promise<string[]> {
  const res = await http(stack, 'GET', `/agencies/${agency}/tasks?limit=200`, undefined, { as });

  if (res.status !== 200) throw new Error(`queue ${agency}: ${res.status}`);
  return res.body.items.filter((t: any) => t.pathwayId === pathwayId).map((t: any) => t.key);
}

export async function eventually<T>(
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = 30000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last value: ${JSON.stringify(value)}`);
    // Each probe is a query or a read of the read model, cheap enough to repeat often; a long pause between
    // them only adds to every test that waits.
    await new Promise((r) => setTimeout(r, 50));
  }
}

// Issue 9's rules about people and messages, in the pure domain: a team lead's assignment (machine and refusal),
// assignees shown only to their own agency, and notification ids that are random behind their patch while the dedup
// key stays derived.
import {
  PATHWAY_PATCHES,
  assignTaskRefusal,
  ownAssignees,
  tasksSeenBy,
  timelineSeenBy,
  type TaskFacts,
} from '../../libs/domain/src';
import { Refused, TestPathway } from '../support/machine';

describe('a team lead assigns', () => {
  it('an open task, then from one colleague to another; each is a claim saying who assigned it', () => {
    const p = new TestPathway({ age: 15 });
    const id = p.task('ssp-home-visit').id;
    p.assign(id, 'SSP', 'ssp-a', 'ssp-lead');
    expect(p.task('ssp-home-visit')).toMatchObject({ status: 'CLAIMED', assignee: 'ssp-a' });
    p.assign(id, 'SSP', 'ssp-b', 'ssp-lead');
    expect(p.task('ssp-home-visit')).toMatchObject({ status: 'CLAIMED', assignee: 'ssp-b' });
    const claims = p.timeline().filter((e) => e.kind === 'TASK_CLAIMED' && e.taskId === id);
    expect(claims.map((e) => e.detail)).toEqual([
      { key: 'ssp-home-visit', assignee: 'ssp-a', assignedBy: 'ssp-lead' },
      { key: 'ssp-home-visit', assignee: 'ssp-b', assignedBy: 'ssp-lead', previousAssignee: 'ssp-a' },
    ]);
  });

  it('is refused for a caseworker, another agency, the same person again and a task that is done', () => {
    const p = new TestPathway({ age: 15 });
    const id = p.task('ssp-home-visit').id;
    const refused = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        return (err as Refused).refusal;
      }
      return undefined;
    };
    expect(refused(() => p.assign(id, 'SSP', 'ssp-a', 'ssp-cw', ['CASEWORKER']))).toMatchObject({
      type: 'NotAllowed',
      message: "only a team lead of the task's agency may do this",
    });
    expect(refused(() => p.assign(id, 'EKI', 'eki-a'))).toMatchObject({ type: 'NotAllowed' });
    p.assign(id, 'SSP', 'ssp-a');
    expect(refused(() => p.assign(id, 'SSP', 'ssp-a'))).toMatchObject({
      type: 'TaskConflict',
      message: 'the task is already assigned to that person',
    });
    p.complete('ssp-home-visit');
    expect(refused(() => p.assign(id, 'SSP', 'ssp-b'))?.type).toBe('TaskNotOpen');
  });

  it('names the userId field for a blank or overlong assignee', () => {
    const open: TaskFacts = { agency: 'SSP', status: 'OPEN' };
    expect(assignTaskRefusal(open, { requestedBy: 'SSP', assignee: ' ' })?.field).toBe('userId');
    expect(assignTaskRefusal(open, { requestedBy: 'SSP', assignee: 'x'.repeat(101) })?.field).toBe('userId');
    expect(assignTaskRefusal(open, { requestedBy: 'SSP', assignee: 'u1' })).toBeUndefined();
  });
});

describe('assignees are their own agency’s business', () => {
  const tasks = [
    { id: 't1', agency: 'SSP', assignee: 'ssp-a' },
    { id: 't2', agency: 'EKI', assignee: 'eki-a' },
    { id: 't3', agency: 'SSP' },
  ];

  it('shows the assignee and its name to the task’s agency only', () => {
    const names = new Map([['ssp-a', 'Anna, SSP']]);
    expect(ownAssignees('SSP', tasks)).toEqual(['ssp-a']);
    expect(tasksSeenBy('SSP', tasks, names)).toEqual([
      { id: 't1', agency: 'SSP', assignee: 'ssp-a', assigneeName: 'Anna, SSP' },
      { id: 't2', agency: 'EKI' },
      { id: 't3', agency: 'SSP' },
    ]);
    expect(tasksSeenBy('POLICE_EAS', tasks, names).some((t) => 'assignee' in t)).toBe(false);
  });

  it('takes user ids out of another agency’s timeline entries', () => {
    const entries: { agency: string; taskId: string; detail: Record<string, string> }[] = [
      { agency: 'SSP', taskId: 't1', detail: { key: 'k', assignee: 'ssp-a', assignedBy: 'ssp-lead' } },
      { agency: 'OPERATIVE_GROUP', taskId: 't1', detail: { key: 'k', assignee: 'ssp-a' } },
      { agency: 'SSP', taskId: 't1', detail: { key: 'k', outcome: 'Udført' } },
    ];
    const agencyOf = (id: string) => tasks.find((t) => t.id === id)?.agency;
    expect(timelineSeenBy('SSP', entries, agencyOf).map((e) => e.detail)).toEqual([
      { key: 'k', assignee: 'ssp-a', assignedBy: 'ssp-lead' },
      { key: 'k' },
      { key: 'k', outcome: 'Udført' },
    ]);
    expect(timelineSeenBy('OPERATIVE_GROUP', entries, agencyOf).map((e) => e.detail)).toEqual([
      { key: 'k' },
      { key: 'k' },
      { key: 'k', outcome: 'Udført' },
    ]);
  });
});

describe('notification ids', () => {
  const sent = (p: TestPathway) => p.batches.flatMap((b) => b!.notifications);

  it('are random (newId) with the derived dedup key beside them', () => {
    const p = new TestPathway({ age: 15 });
    const notifications = sent(p);
    expect(notifications.length).toBeGreaterThan(0);
    for (const n of notifications) {
      expect(n.id).toMatch(/^task-\d+$/); // the fake environment's newId
      expect(n.dedupKey).toMatch(new RegExp(`^p-1:\\d+:${n.agency}$`));
    }
    expect(new Set(notifications.map((n) => n.id)).size).toBe(notifications.length);
    expect(p.patchesAsked).toContain(PATHWAY_PATCHES.randomNotificationIds);
  });

  it('before patch random-notification-ids, are the derived key itself and take no id from the environment', () => {
    const p = new TestPathway({ age: 15, unpatched: [PATHWAY_PATCHES.randomNotificationIds] });
    const patched = new TestPathway({ age: 15 });
    for (const n of sent(p)) expect(n.id).toBe(n.dedupKey);
    // Only tasks took ids from the environment (task-1, task-2, …, in order); with the patch, notifications did too.
    const taskIds = (q: TestPathway) => q.status().tasks.map((t) => t.id);
    expect(taskIds(p)).toEqual(taskIds(p).map((_, i) => `task-${i + 1}`));
    expect(taskIds(p)).not.toEqual(taskIds(patched));
  });
});

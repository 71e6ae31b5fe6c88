// The escalation ladder on the machine with a fake clock: reminders, overdue and level 1 to the operative group,
// level 2 to Sikker By, extension, reassignment, handovers acknowledged and not, stalled pathways raised and
// cleared. One real-time drill of the ladder stays in test/integration/temporal/pathway-workflow.ts (a Temporal timer firing).
import type { Playbook } from '../../libs/domain/src';
import { Refused, TestPathway } from '../support/machine';

const sla: Playbook = {
  version: 2001,
  name: 'SLA drill',
  stallAfter: { kind: 'duration', seconds: 3600 },
  stages: {
    CONTACT: {
      tasks: [
        {
          key: 'sla-task',
          agency: 'POLICE_EAS',
          type: 'REGISTRATION_ANALYSIS',
          title: 'Registrering',
          due: { kind: 'duration', seconds: 4 },
          reminderShare: [0.25, 0.5],
          escalateAfter: { kind: 'duration', seconds: 2 },
        },
        {
          key: 'release-handover',
          agency: 'KRIMINALFORSORGEN',
          type: 'HANDOVER',
          title: 'Overdragelse til kommunen',
          due: { kind: 'duration', seconds: 600 },
          handoverTo: 'EKI',
          acknowledgeWithin: { kind: 'duration', seconds: 3 },
          escalateAfter: { kind: 'duration', seconds: 600 },
        },
      ],
    },
  },
};
const stalling: Playbook = {
  version: 2002,
  name: 'Stall drill',
  stallAfter: { kind: 'duration', seconds: 3 },
  stages: {
    CONTACT: {
      tasks: [
        {
          key: 'slow-task',
          agency: 'SSP',
          type: 'PREVENTIVE_HOME_VISIT',
          title: 'Hjemmebesøg',
          due: { kind: 'duration', seconds: 600 },
        },
      ],
    },
  },
};

const at = (p: TestPathway, seconds: number) => new Date(Date.parse('2027-03-01T08:00:00Z') + seconds * 1000);
const ladder = (p: TestPathway, key: string) => p.kinds().filter((k) => k.endsWith(`:${key}`));
const escalations = (p: TestPathway) =>
  p.status().escalations.map((e) => [e.kind, e.level, e.escalatedTo, e.status, e.decision ?? null]);

describe('the escalation ladder', () => {
  it('reminds twice, then raises level 1 to the operative group at the deadline and level 2 to Sikker By after', () => {
    const p = new TestPathway({ age: 30, playbook: sla });
    p.advanceTo(at(p, 1 - 0.001));
    expect(ladder(p, 'sla-task')).toEqual(['TASK_CREATED:sla-task']);
    // Reminders at 25 % and 50 % of the time, overdue at the deadline, level 2 two seconds past it.
    p.advanceTo(at(p, 1));
    expect(p.task('sla-task').remindersSent).toBe(1);
    p.advanceTo(at(p, 2));
    expect(p.task('sla-task').remindersSent).toBe(2);
    p.advanceTo(at(p, 4));
    expect(p.task('sla-task')).toMatchObject({ overdue: true, escalationLevel: 1 });
    expect(p.machine.searchAttributes().overdue).toBe(true);
    p.advanceTo(at(p, 6 - 0.001));
    expect(p.task('sla-task').escalationLevel).toBe(1);
    p.advanceTo(at(p, 6));
    expect(ladder(p, 'sla-task')).toEqual([
      'TASK_CREATED:sla-task',
      'TASK_REMINDED:sla-task',
      'TASK_REMINDED:sla-task',
      'TASK_OVERDUE:sla-task',
      'ESCALATED:sla-task',
      'ESCALATED:sla-task',
    ]);
    expect(p.task('sla-task')).toMatchObject({ status: 'OPEN', overdue: true, escalationLevel: 2 });
    expect(escalations(p)).toEqual([
      ['TASK_OVERDUE', 1, 'OPERATIVE_GROUP', 'OPEN', null],
      ['TASK_OVERDUE', 2, 'SIKKER_BY', 'OPEN', null],
    ]);
    expect(p.notifications()).toEqual(
      expect.arrayContaining([
        'POLICE_EAS:TASK_REMINDER',
        'POLICE_EAS:TASK_OVERDUE',
        'OPERATIVE_GROUP:ESCALATION_RAISED',
        'SIKKER_BY:ESCALATION_RAISED',
      ]),
    );
    // The escalations reach the read model in the batch that raised them.
    expect(p.batches.flatMap((b) => b!.escalations.map((e) => e.level))).toEqual([1, 2]);
  });

  it('takes every step that came due while the worker was down, in order', () => {
    const p = new TestPathway({ age: 30, playbook: sla });
    p.jumpTo(at(p, 60));
    expect(ladder(p, 'sla-task')).toEqual([
      'TASK_CREATED:sla-task',
      'TASK_REMINDED:sla-task',
      'TASK_REMINDED:sla-task',
      'TASK_OVERDUE:sla-task',
      'ESCALATED:sla-task',
      'ESCALATED:sla-task',
    ]);
  });

  it('counts working days on the real playbook: a Friday task is reminded and late after the weekend', () => {
    // eas-registration: 5 working days, reminder at 75 %, level 2 three working days later.
    const p = new TestPathway({ age: 30, start: '2027-03-05T08:00:00Z' });
    const task = p.task('eas-registration');
    expect(task.dueAt).toBe('2027-03-12T08:00:00.000Z');
    p.advanceTo(new Date('2027-03-12T07:59:59Z'));
    expect(p.task('eas-registration')).toMatchObject({ remindersSent: 1, overdue: false });
    p.advanceTo(new Date('2027-03-12T08:00:00Z'));
    expect(p.task('eas-registration')).toMatchObject({ overdue: true, escalationLevel: 1 });
    p.advanceTo(new Date('2027-03-17T08:00:00Z'));
    expect(p.task('eas-registration').escalationLevel).toBe(2);
  });

  it('an extension by the operative group restarts the ladder and answers the escalations', () => {
    const p = new TestPathway({ age: 30, playbook: sla });
    p.advanceTo(at(p, 4));
    const id = p.task('sla-task').id;
    expect(() => p.extend(id, at(p, 64), 'POLICE_EAS')).toThrow(
      expect.objectContaining({ type: 'NotAllowed', message: 'only the operative group may extend a deadline' }),
    );
    const dueAt = at(p, 64);
    p.extend(id, dueAt, 'OPERATIVE_GROUP', 'Afventer svar fra skolen');
    expect(p.task('sla-task')).toMatchObject({
      overdue: false,
      escalationLevel: 0,
      remindersSent: 0,
      dueAt: dueAt.toISOString(),
      windowStart: at(p, 4).toISOString(),
    });
    expect(escalations(p)).toEqual([['TASK_OVERDUE', 1, 'OPERATIVE_GROUP', 'RESOLVED', 'EXTEND']]);
    expect(p.kinds()).toContain('DEADLINE_EXTENDED:sla-task');
    // Reminders count from the extension: 25 % of 60 s.
    p.advanceTo(at(p, 19));
    expect(p.task('sla-task').remindersSent).toBe(1);
  });

  it('an extension to the past or past the year 9999 is refused, naming dueAt', () => {
    const p = new TestPathway({ age: 30, playbook: sla });
    const id = p.task('sla-task').id;
    expect(() => p.extend(id, at(p, 0))).toThrow(
      expect.objectContaining({
        refusal: { type: 'InvalidInput', field: 'dueAt', message: 'dueAt must be a time in the future' },
      }),
    );
    expect(() => p.extend(id, new Date('+010000-01-01T00:00:00Z'))).toThrow(
      expect.objectContaining({
        refusal: expect.objectContaining({ field: 'dueAt', message: expect.stringMatching(/10000/) }),
      }),
    );
  });

  it('an extended release-planning deadline no longer follows the release date', () => {
    const p = new TestPathway({ age: 30 });
    p.event({ type: 'SENTENCED', expectedReleaseDate: new Date(p.now.getTime() + 60 * 86_400_000).toISOString() });
    p.advance(1);
    const income = p.task('release-income');
    const fixed = new Date(p.now.getTime() + 10 * 86_400_000);
    p.extend(income.id, fixed);
    p.event({
      type: 'RELEASE_DATE_CHANGED',
      expectedReleaseDate: new Date(p.now.getTime() + 300 * 86_400_000).toISOString(),
    });
    expect(p.task('release-income').dueAt).toBe(fixed.toISOString());
  });

  it('reassignment by the operative group moves the task to another agency’s queue', () => {
    const p = new TestPathway({ age: 30, playbook: sla });
    p.advanceTo(at(p, 4));
    const [escalation] = p.status().escalations;
    p.resolve({ escalationId: escalation.id, decision: 'REASSIGN', toAgency: 'POLICE_LOCAL', note: 'Kender familien' });
    expect(p.task('sla-task')).toMatchObject({ agency: 'POLICE_LOCAL', status: 'OPEN' });
    expect(escalations(p)[0]).toEqual(['TASK_OVERDUE', 1, 'OPERATIVE_GROUP', 'RESOLVED', 'REASSIGN']);
    expect(p.notifications()).toContain('POLICE_LOCAL:TASK_ASSIGNED');
    expect(() => p.reassign(p.task('sla-task').id, 'POLICE_LOCAL')).toThrow(
      expect.objectContaining({ type: 'TaskConflict', message: 'the task is already with POLICE_LOCAL' }),
    );
    // Resolved once: a second decision on it is a conflict.
    expect(() => p.resolve({ escalationId: escalation.id, decision: 'NOTE' })).toThrow(
      expect.objectContaining({ type: 'EscalationResolved' }),
    );
  });

  it('resolving with CANCEL_TASK cancels the task with the note; NOTE leaves the task as it is', () => {
    const p = new TestPathway({ age: 30, playbook: sla });
    p.advanceTo(at(p, 6));
    const [level1, level2] = p.status().escalations;
    p.resolve({ escalationId: level2.id, decision: 'NOTE', note: 'Set' });
    expect(p.task('sla-task').status).toBe('OPEN');
    expect(escalations(p)).toEqual([
      ['TASK_OVERDUE', 1, 'OPERATIVE_GROUP', 'OPEN', null],
      ['TASK_OVERDUE', 2, 'SIKKER_BY', 'RESOLVED', 'NOTE'],
    ]);
    p.resolve({ escalationId: level1.id, decision: 'CANCEL_TASK', note: 'Dublet' });
    expect(p.latest('sla-task')).toMatchObject({ status: 'CANCELLED', cancelReason: 'Dublet' });
    expect(() => p.resolve({ escalationId: 'nope', decision: 'NOTE' })).toThrow(
      expect.objectContaining({ type: 'EscalationNotFound' }),
    );
  });

  it('claims and unclaims: the task’s agency claims, the agency or the operative group gives it back', () => {
    const p = new TestPathway({ age: 30, playbook: sla });
    const id = p.task('sla-task').id;
    expect(() => p.claim(id, 'SSP')).toThrow(
      expect.objectContaining({ type: 'NotAllowed', message: 'the task belongs to POLICE_EAS' }),
    );
    expect(() => p.unclaim(id, 'POLICE_EAS')).toThrow(expect.objectContaining({ type: 'TaskConflict' }));
    p.claim(id, 'POLICE_EAS', 'analytiker-7');
    expect(p.task('sla-task')).toMatchObject({ status: 'CLAIMED', assignee: 'analytiker-7' });
    expect(() => p.claim(id, 'POLICE_EAS', 'en-anden')).toThrow(
      expect.objectContaining({ type: 'TaskConflict', message: 'the task is already claimed by analytiker-7' }),
    );
    expect(() => p.unclaim(id, 'SSP')).toThrow(expect.objectContaining({ type: 'NotAllowed' }));
    p.unclaim(id, 'OPERATIVE_GROUP');
    expect(p.task('sla-task').status).toBe('OPEN');
    expect(p.timeline().find((e) => e.kind === 'TASK_UNCLAIMED')).toMatchObject({
      agency: 'OPERATIVE_GROUP',
      detail: { key: 'sla-task', assignee: 'analytiker-7' },
    });
  });
});

describe('handovers', () => {
  it('a handover keeps the sender responsible until the receiver acknowledges', () => {
    const p = new TestPathway({ age: 30, playbook: sla });
    p.complete('release-handover', 'DONE', undefined, 'Løsladelsespapirer sendt');
    expect(p.task('release-handover')).toMatchObject({ status: 'OPEN', agency: 'KRIMINALFORSORGEN' });
    expect(p.task('release-handover-ack')).toMatchObject({ status: 'OPEN', agency: 'EKI', type: 'HANDOVER_ACK' });
    expect(p.notifications()).toContain('EKI:HANDOVER_REQUESTED');
    // The sender cannot let go by completing again.
    expect(() => p.complete('release-handover')).toThrow(
      expect.objectContaining({ type: 'TaskConflict', message: 'the handover waits for EKI to acknowledge it' }),
    );
    p.complete('release-handover-ack', 'DONE', undefined, 'Overtaget af EKI');
    expect(p.latest('release-handover')).toMatchObject({
      status: 'DONE',
      completedBy: 'KRIMINALFORSORGEN',
      handover: { to: 'EKI', state: 'ACKNOWLEDGED' },
    });
    expect(p.kinds()).toEqual(
      expect.arrayContaining(['HANDOVER_REQUESTED:release-handover', 'HANDOVER_ACKNOWLEDGED:release-handover']),
    );
  });

  it('a handover nobody acknowledges escalates while the sender still holds it', () => {
    const p = new TestPathway({ age: 30, playbook: sla });
    p.complete('sla-task');
    p.complete('release-handover', 'DONE');
    p.advanceTo(at(p, 3));
    expect(p.task('release-handover-ack').escalationLevel).toBe(1);
    // The sender's clock stands still while the receiver holds the handover.
    p.advanceTo(at(p, 700));
    expect(p.task('release-handover')).toMatchObject({ status: 'OPEN', escalationLevel: 0 });
    const ack = p.task('release-handover-ack');
    expect(
      p
        .status()
        .escalations.filter((e) => e.taskId === ack.id)
        .map((e) => [e.kind, e.escalatedTo]),
    ).toEqual([
      ['TASK_OVERDUE', 'OPERATIVE_GROUP'],
      ['TASK_OVERDUE', 'SIKKER_BY'],
    ]);
    // The operative group cancels the escalated acknowledgement; the sender is still on the hook.
    p.cancel(ack.id, 'Ny modtager');
    const sender = p.task('release-handover');
    expect(sender.handover).toEqual({ to: 'EKI', state: 'NOT_STARTED' });
    // No acknowledgement is coming: the sender may hand over again, to a fresh acknowledgement.
    const again = p.complete('release-handover', 'DONE');
    expect(again.tasks.filter((t) => t.key === 'release-handover-ack').map((t) => t.status)).toEqual([
      'CANCELLED',
      'OPEN',
    ]);
    expect(p.task('release-handover').handover).toMatchObject({ state: 'AWAITING_ACK' });
  });

  it('before patch cancel-follows-handover, a cancelled acknowledgement left the sender waiting (replayed histories)', () => {
    const p = new TestPathway({ age: 30, playbook: sla, unpatched: ['cancel-follows-handover'] });
    p.complete('release-handover', 'DONE');
    p.cancel(p.task('release-handover-ack').id, 'Ny modtager');
    expect(p.task('release-handover').handover).toMatchObject({ state: 'AWAITING_ACK' });
  });

  it('cancelling a handover that waits for its acknowledgement cancels the acknowledgement too', () => {
    const p = new TestPathway({ age: 30, playbook: sla });
    p.complete('release-handover', 'DONE');
    const status = p.cancel(p.task('release-handover').id, 'Ikke længere');
    expect(
      status.tasks.filter((t) => t.key.startsWith('release-handover')).map((t) => [t.key, t.status, t.cancelReason]),
    ).toEqual([
      ['release-handover', 'CANCELLED', 'Ikke længere'],
      ['release-handover-ack', 'CANCELLED', 'Ikke længere'],
    ]);
    expect(p.queue('EKI')).toEqual([]);
  });
});

describe('stalled pathways', () => {
  it('a pathway with no progress is flagged stalled and escalated; progress clears it', () => {
    const p = new TestPathway({ age: 17, playbook: stalling });
    p.advanceTo(at(p, 3 - 0.001));
    expect(p.status().stalled).toBe(false);
    p.advanceTo(at(p, 3));
    expect(p.status().stalled).toBe(true);
    expect(p.machine.searchAttributes().stalled).toBe(true);
    expect(escalations(p)).toEqual([['PATHWAY_STALLED', 1, 'OPERATIVE_GROUP', 'OPEN', null]]);
    expect(p.notifications()).toContain('OPERATIVE_GROUP:PATHWAY_STALLED');
    // A stalled pathway has no task to extend: the decision is what is wrong.
    const [{ id }] = p.status().escalations;
    expect(() => p.resolve({ escalationId: id, decision: 'EXTEND', dueAt: at(p, 99).toISOString() })).toThrow(
      expect.objectContaining({
        refusal: {
          type: 'InvalidInput',
          field: 'decision',
          message: 'a stalled pathway is resolved with NOTE, not EXTEND',
        },
      }),
    );
    // Raised once: no second stall while it lasts.
    p.advanceTo(at(p, 60));
    expect(p.status().escalations).toHaveLength(1);
    p.event({ type: 'MOTIVATION_ASSESSED', motivated: true });
    expect(p.status().stalled).toBe(false);
    expect(escalations(p)).toEqual([['PATHWAY_STALLED', 1, 'OPERATIVE_GROUP', 'RESOLVED', 'PROGRESS']]);
    expect(p.kinds()).toEqual(expect.arrayContaining(['PATHWAY_STALLED', 'PATHWAY_UNSTALLED']));
    // The stall clock restarted with the progress.
    p.advanceTo(at(p, 62.9));
    expect(p.status().stalled).toBe(false);
    p.advanceTo(at(p, 63));
    expect(p.status().stalled).toBe(true);
  });

  it('a pathway that only waits for its next scheduled step (release planning) is not stalled', () => {
    const p = new TestPathway({ age: 30, playbook: stalling });
    p.event({ type: 'SENTENCED', expectedReleaseDate: new Date(p.now.getTime() + 200 * 86_400_000).toISOString() });
    p.cancel(p.task('slow-task').id, 'Afsoner');
    p.advanceTo(at(p, 30 * 86_400));
    expect(p.status().stalled).toBe(false);
    expect(p.status().escalations).toEqual([]);
  });

  it('before patch task-sla-timers, no ladder and no stall ran (the first pathways)', () => {
    const p = new TestPathway({ age: 17, playbook: stalling, unpatched: ['task-sla-timers'] });
    p.advanceTo(at(p, 3600));
    expect(p.status().stalled).toBe(false);
    expect(p.task('slow-task')).toMatchObject({ overdue: false, escalationLevel: 0 });
    expect(p.machine.nextWakeUp()).toBeUndefined();
  });
});

describe('the machine asks its environment as the workflow did', () => {
  it('asks task-sla-timers when planning the wake-up and when firing, and no patch at all to answer a query', () => {
    const p = new TestPathway({ age: 30, playbook: sla });
    p.patchesAsked.length = 0;
    p.status();
    expect(p.patchesAsked).toEqual([]);
    p.machine.nextWakeUp();
    expect(p.patchesAsked).toEqual(['task-sla-timers']);
    // The search attributes are set by the shell after a command or a wake-up, never in a query: they may ask.
    p.patchesAsked.length = 0;
    p.machine.searchAttributes();
    expect(p.patchesAsked).toEqual(['search-attributes-without-track']);
  });

  it('marks itself dirty only when a fact its wake-up depends on changes', () => {
    const p = new TestPathway({ age: 30, playbook: sla });
    const id = p.task('sla-task').id;
    p.machine.dirty = false;
    // A claim moves no deadline: the shell's sleep goes on.
    p.claim(id, 'POLICE_EAS');
    expect(p.machine.dirty).toBe(false);
    p.extend(id, at(p, 600));
    expect(p.machine.dirty).toBe(true);
    p.machine.dirty = false;
    p.event({ type: 'SENTENCED', expectedReleaseDate: new Date(p.now.getTime() + 200 * 86_400_000).toISOString() });
    expect(p.machine.dirty).toBe(true);
    // Before task-sla-timers a new task changed no timer.
    const old = new TestPathway({ age: 30, playbook: sla, unpatched: ['task-sla-timers'] });
    old.machine.dirty = false;
    old.complete('sla-task');
    expect(old.machine.dirty).toBe(false);
  });

  it('a refused command changes nothing', () => {
    const p = new TestPathway({ age: 30, playbook: sla });
    const before = structuredClone(p.machine.state);
    expect(() => p.complete('sla-task', 'DONE', 'SSP')).toThrow(Refused);
    expect(() => p.complete('sla-task', '   ')).toThrow(
      expect.objectContaining({ refusal: expect.objectContaining({ field: 'outcome' }) }),
    );
    expect(() => p.migrate({ ...sla, version: 2000 })).toThrow(expect.objectContaining({ type: 'PlaybookRefused' }));
    expect(p.machine.state).toEqual(before);
  });

  it('a playbook migration records the move and plans later stages from the new version', () => {
    const p = new TestPathway({ age: 30, playbook: sla });
    const status = p.migrate({ ...stalling, version: 2003 }, 'Ny aftale');
    expect(status.playbookVersion).toBe(2003);
    expect(p.timeline().find((e) => e.kind === 'PLAYBOOK_MIGRATED')).toMatchObject({
      detail: { from: '2001', to: '2003', reason: 'Ny aftale' },
    });
    expect(p.machine.dirty).toBe(true);
  });
});

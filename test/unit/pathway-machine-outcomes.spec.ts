// Task outcomes on the machine with a fake clock (issue 10, item 8): DONE, DECLINED (the offer refused),
// NOT_REACHED (another attempt with a new deadline, then the operative group) and NOT_RELEVANT, each with the
// agency's own note; the refusals of outcomes a task does not allow; and the branch replayed histories keep.
import { completeTaskRefusal, validatePlaybook, type Playbook } from '../../libs/domain/src';
import { Refused, TestPathway } from '../support/machine';

const outcomes: Playbook = {
  version: 2101,
  name: 'Outcomes drill',
  stages: {
    CONTACT: {
      tasks: [
        {
          key: 'home-visit',
          agency: 'SSP',
          type: 'PREVENTIVE_HOME_VISIT',
          title: 'Hjemmebesøg',
          due: { kind: 'workingDays', days: 10 },
        },
        {
          key: 'exit-offer',
          agency: 'EKI',
          type: 'EXIT_INTAKE',
          title: 'Tilbud om exit-forløb',
          due: { kind: 'workingDays', days: 10 },
          outcomes: ['DONE', 'DECLINED', 'NOT_REACHED'],
          notReached: { retryAfter: { kind: 'calendarDays', days: 2 }, attempts: 2 },
        },
        {
          key: 'release-handover',
          agency: 'KRIMINALFORSORGEN',
          type: 'HANDOVER',
          title: 'Overdragelse til kommunen',
          due: { kind: 'workingDays', days: 10 },
          handoverTo: 'EKI',
        },
      ],
    },
  },
};

const start = () => new TestPathway({ age: 30, playbook: outcomes, start: '2027-03-01T08:00:00Z' });

describe('task outcomes', () => {
  it('NOT_REACHED brings the task back with a new deadline and a fresh ladder, and does not finish the stage', () => {
    const p = start();
    const before = p.task('home-visit');
    const status = p.complete('home-visit', 'NOT_REACHED', undefined, 'Ingen hjemme kl. 16');
    const again = p.task('home-visit');
    expect(again).toMatchObject({ id: before.id, status: 'OPEN', attempt: 2, overdue: false, escalationLevel: 0 });
    // Default: another attempt 5 working days on (Monday 1 March → Monday 8 March).
    expect(again.dueAt).toBe('2027-03-08T08:00:00.000Z');
    expect(again.note).toBe('Ingen hjemme kl. 16');
    expect(status.stage).toBe('CONTACT');
    const retry = p.timeline().find((e) => e.kind === 'TASK_RETRY_PLANNED')!;
    expect(retry).toMatchObject({
      agency: 'SSP',
      detail: { key: 'home-visit', outcome: 'NOT_REACHED', attempt: '2', dueAt: '2027-03-08T08:00:00.000Z' },
    });
    // The note is the agency's own: never on the timeline.
    expect(JSON.stringify(p.timeline())).not.toContain('Ingen hjemme');
  });

  it('the retried task is overdue only after its new deadline', () => {
    const p = start();
    p.advanceTo(new Date('2027-03-12T08:00:00Z'));
    p.complete('home-visit', 'NOT_REACHED');
    // The first deadline (10 working days: 15 March) passes without the task being overdue: the new one is 19 March.
    p.advanceTo(new Date('2027-03-16T08:00:00Z'));
    expect(p.task('home-visit')).toMatchObject({ dueAt: '2027-03-19T08:00:00.000Z', overdue: false });
    p.advanceTo(new Date('2027-03-19T09:00:00Z'));
    expect(p.task('home-visit')).toMatchObject({ overdue: true, escalationLevel: 1 });
  });

  it('after the last attempt the task ends NOT_REACHED and the operative group is asked to decide', () => {
    const p = start();
    p.complete('exit-offer', 'NOT_REACHED');
    expect(p.task('exit-offer')).toMatchObject({ attempt: 2, dueAt: '2027-03-03T08:00:00.000Z' });
    p.complete('exit-offer', 'NOT_REACHED');
    const ended = p.latest('exit-offer');
    expect(ended).toMatchObject({ status: 'DONE', outcome: 'NOT_REACHED', completedBy: 'EKI' });
    const raised = p.status().escalations.filter((e) => e.taskId === ended.id);
    expect(raised.map((e) => [e.kind, e.level, e.escalatedTo, e.status])).toEqual([
      ['TASK_NOT_REACHED', 1, 'OPERATIVE_GROUP', 'OPEN'],
    ]);
    expect(p.notifications()).toContain('OPERATIVE_GROUP:ESCALATION_RAISED');
    // The task is finished, so the group answers with a note (and plans anew if it wants to).
    expect(() => p.resolve({ escalationId: raised[0].id, decision: 'EXTEND', dueAt: '2027-04-01T08:00:00Z' })).toThrow(
      expect.objectContaining({ type: 'TaskConflict' }),
    );
    p.resolve({ escalationId: raised[0].id, decision: 'NOTE', note: 'Forsøges via familien' });
    expect(p.status().escalations.find((e) => e.id === raised[0].id)).toMatchObject({ status: 'RESOLVED' });
  });

  it('DECLINED ends the task and records the refused offer on the timeline; no handover is started', () => {
    const p = start();
    p.complete('exit-offer', 'DECLINED', undefined, 'Ønsker ikke tilbuddet nu');
    expect(p.latest('exit-offer')).toMatchObject({
      status: 'DONE',
      outcome: 'DECLINED',
      note: 'Ønsker ikke tilbuddet nu',
    });
    expect(p.kinds()).toEqual(expect.arrayContaining(['TASK_COMPLETED:exit-offer', 'OFFER_DECLINED:exit-offer']));
    p.complete('release-handover', 'DECLINED');
    expect(p.latest('release-handover')).toMatchObject({
      status: 'DONE',
      outcome: 'DECLINED',
      handover: { state: 'NOT_STARTED' },
    });
    expect(p.status().tasks.map((t) => t.key)).not.toContain('release-handover-ack');
  });

  it('NOT_RELEVANT finishes the task: with the stage’s other work done the pathway moves on', () => {
    const p = start();
    p.complete('home-visit', 'NOT_RELEVANT');
    p.complete('exit-offer', 'DONE');
    expect(p.status().stage).toBe('CONTACT');
    const status = p.complete('release-handover', 'NOT_RELEVANT');
    expect(status.stage).toBe('ASSESSMENT');
    expect(p.latest('home-visit')).toMatchObject({ status: 'DONE', outcome: 'NOT_RELEVANT' });
    expect(p.timeline().find((e) => e.kind === 'TASK_COMPLETED' && e.detail.key === 'home-visit')?.detail).toEqual({
      key: 'home-visit',
      outcome: 'NOT_RELEVANT',
    });
  });

  it('refuses free text, an outcome the task does not allow, a declined acknowledgement and a long note', () => {
    const p = start();
    const before = structuredClone(p.machine.state);
    expect(() => p.complete('home-visit', 'Udført')).toThrow(
      expect.objectContaining({
        refusal: {
          type: 'InvalidInput',
          field: 'outcome',
          message: 'outcome must be one of DONE, DECLINED, NOT_REACHED, NOT_RELEVANT',
        },
      }),
    );
    expect(() => p.complete('exit-offer', 'NOT_RELEVANT')).toThrow(
      expect.objectContaining({
        refusal: {
          type: 'InvalidInput',
          field: 'outcome',
          message: 'outcome NOT_RELEVANT is not one this task allows (DONE, DECLINED, NOT_REACHED)',
        },
      }),
    );
    expect(() => p.complete('home-visit', 'DONE', undefined, 'x'.repeat(501))).toThrow(
      expect.objectContaining({ refusal: expect.objectContaining({ field: 'note' }) }),
    );
    expect(p.machine.state).toEqual(before);
    p.complete('release-handover');
    expect(() => p.complete('release-handover-ack', 'DECLINED')).toThrow(
      expect.objectContaining({ refusal: expect.objectContaining({ field: 'outcome', type: 'InvalidInput' }) }),
    );
    expect(() => p.complete('release-handover-ack', 'DONE')).not.toThrow();
  });

  it('the pure refusal: input before ownership before state, as the API runs it against the read model', () => {
    const open = { agency: 'SSP', status: 'OPEN' as const };
    expect(completeTaskRefusal(open, { outcome: 'DONE', completedBy: 'SSP', note: '  ' })?.field).toBe('note');
    expect(completeTaskRefusal(open, { outcome: 'DONE', completedBy: 'EKI' })?.type).toBe('NotAllowed');
    expect(completeTaskRefusal({ ...open, status: 'DONE' }, { outcome: 'DECLINED', completedBy: 'SSP' })?.type).toBe(
      'TaskNotOpen',
    );
    expect(completeTaskRefusal(open, { outcome: 'NOT_REACHED', completedBy: 'SSP' })).toBeUndefined();
    // The update handler (checkOutcome: false) lets a recorded free-text outcome replay.
    expect(completeTaskRefusal(open, { outcome: 'Udført', completedBy: 'SSP' }, { checkOutcome: false })).toBe(
      undefined,
    );
  });

  it('before patch task-outcomes a coded outcome was only text: the task was done (replayed histories)', () => {
    const p = new TestPathway({ age: 30, playbook: outcomes, unpatched: ['task-outcomes'] });
    p.complete('home-visit', 'NOT_REACHED');
    expect(p.latest('home-visit')).toMatchObject({ status: 'DONE', outcome: 'NOT_REACHED' });
    expect(p.status().escalations).toEqual([]);
    expect(p.kinds()).not.toContain('TASK_RETRY_PLANNED:home-visit');
  });

  it('asks about the patch only for an outcome other than DONE', () => {
    const p = start();
    p.complete('home-visit', 'DONE', undefined, 'Besøgt');
    expect(p.patchesAsked).not.toContain('task-outcomes');
    p.complete('exit-offer', 'DECLINED');
    expect(p.patchesAsked).toContain('task-outcomes');
  });

  it('a playbook names outcomes from the list, DONE among them, and a sensible retry rule', () => {
    const task = outcomes.stages.CONTACT!.tasks[1];
    const withTask = (changes: object) => ({ ...outcomes, stages: { CONTACT: { tasks: [{ ...task, ...changes }] } } });
    expect(validatePlaybook(withTask({ outcomes: ['DECLINED'] })).map((e) => e.path)).toEqual([
      'stages.CONTACT.tasks[0].outcomes',
    ]);
    expect(validatePlaybook(withTask({ outcomes: ['DONE', 'MAYBE'] })).map((e) => e.path)).toEqual([
      'stages.CONTACT.tasks[0].outcomes',
    ]);
    expect(
      validatePlaybook(withTask({ notReached: { retryAfter: { kind: 'weeks', days: 1 }, attempts: 0 } })).map(
        (e) => e.path,
      ),
    ).toEqual(['stages.CONTACT.tasks[0].notReached.retryAfter.kind', 'stages.CONTACT.tasks[0].notReached.attempts']);
    expect(validatePlaybook(outcomes)).toEqual([]);
  });
});

describe('refusals', () => {
  it('a refused outcome is a Refused error the API maps to 400', () => {
    const p = start();
    expect(() => p.complete('home-visit', 'LATER')).toThrow(Refused);
  });
});

// On hold until a date (issue 10, item 8) on the machine with a fake clock: the task's own agency holds a task with a
// coded reason; its ladder stops (no reminder, no overdue, no escalation), it returns by itself at the start of the
// chosen day in Copenhagen with its deadline moved by the time on hold, or at once when its agency resumes it.
// Completing a held task is allowed (the person got in touch before the date) and ends the hold.
import { PATHWAY_PATCHES, type Playbook, type Refusal } from '../../libs/domain/src';
import { Refused, TestPathway } from '../support/machine';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const days = (n: number) => ({ kind: 'duration' as const, seconds: n * 86_400 });

/** SSP's visit: due in ten days, one reminder at 75 %, overdue and level 1, level 2 five days later; a handover. */
const drill: Playbook = {
  version: 3001,
  name: 'Hold drill',
  stallAfter: days(365),
  stages: {
    CONTACT: {
      tasks: [
        {
          key: 'visit',
          agency: 'SSP',
          type: 'PREVENTIVE_HOME_VISIT',
          title: 'Hjemmebesøg',
          due: days(10),
          escalateAfter: days(5),
        },
        {
          key: 'handover',
          agency: 'KRIMINALFORSORGEN',
          type: 'HANDOVER',
          title: 'Overdragelse til kommunen',
          due: days(10),
          handoverTo: 'EKI',
        },
      ],
    },
  },
};

/** The visit on a pathway opened on a Monday morning (1 March 2027, 08:00 UTC). */
function pathwayWithTask() {
  const p = new TestPathway({ age: 30, playbook: drill, start: '2027-03-01T08:00:00Z' });
  return { p, id: p.task('visit').id };
}

const refusal = (f: () => unknown): Refusal | undefined => {
  try {
    f();
  } catch (e) {
    if (e instanceof Refused) return e.refusal;
    throw e;
  }
  return undefined;
};

const task = (p: TestPathway, id: string) => p.status().tasks.find((t) => t.id === id)!;

describe('a task on hold', () => {
  it('stops its ladder and returns by itself at the start of the day, its deadline moved by the time held', () => {
    const { p, id } = pathwayWithTask();
    p.advanceTo(new Date('2027-03-02T08:00:00Z'));
    const held = p.hold(id, '2027-03-10', 'AWAITING_PERSON');
    // Midnight in Copenhagen (CET, UTC+1) on 10 March.
    expect(held.tasks.find((t) => t.id === id)!.hold).toEqual({
      until: '2027-03-09T23:00:00.000Z',
      reason: 'AWAITING_PERSON',
      since: '2027-03-02T08:00:00.000Z',
    });
    // The reminder (8 March, 20:00) would have come: it does not, nor anything else while held.
    p.advanceTo(new Date('2027-03-09T22:59:00Z'));
    expect(p.kinds().filter((k) => /(REMINDED|OVERDUE|ESCALATED):visit/.test(k))).toEqual([]);
    expect(task(p, id)).toMatchObject({ status: 'OPEN', overdue: false, escalationLevel: 0 });
    expect(task(p, id).hold).toBeDefined();

    p.advanceTo(new Date('2027-03-09T23:00:00Z'));
    // Held 7 days 15 hours: the deadline moves from 11 March 08:00 by as much.
    expect(task(p, id).hold).toBeUndefined();
    expect(task(p, id).dueAt).toBe('2027-03-18T23:00:00.000Z');
    expect(p.timeline().at(-1)).toMatchObject({
      kind: 'TASK_RESUMED',
      agency: 'SSP',
      taskId: id,
      detail: { key: 'visit', because: 'DATE_REACHED', dueAt: '2027-03-18T23:00:00.000Z' },
    });

    // The ladder goes on from the moved window: the reminder 7.5 days into it, then overdue at the new deadline.
    p.advanceTo(new Date('2027-03-16T10:59:00Z'));
    expect(p.kinds()).not.toContain('TASK_REMINDED:visit');
    p.advanceTo(new Date('2027-03-16T11:00:00Z'));
    expect(p.kinds().at(-1)).toBe('TASK_REMINDED:visit');
    p.advanceTo(new Date('2027-03-18T23:00:00Z'));
    expect(task(p, id)).toMatchObject({ overdue: true, escalationLevel: 1 });
    expect(p.kinds()).toContain('ESCALATED:visit');
  });

  it('a held overdue task does not climb the ladder: level 2 waits until it is back, moved by the time held', () => {
    const { p, id } = pathwayWithTask();
    p.advanceTo(new Date('2027-03-12T08:00:00Z'));
    expect(task(p, id)).toMatchObject({ overdue: true, escalationLevel: 1 });
    // Level 2 would come on 16 March 08:00; held from 12 March 08:00 to 1 April 00:00 CEST (31 March 22:00 UTC).
    p.hold(id, '2027-04-01', 'AWAITING_OTHER_AGENCY');
    p.advanceTo(new Date('2027-03-31T21:59:00Z'));
    expect(task(p, id).escalationLevel).toBe(1);
    expect(
      p
        .status()
        .escalations.filter((e) => e.taskId === id)
        .map((e) => e.level),
    ).toEqual([1]);
    p.advanceTo(new Date('2027-04-04T21:59:00Z'));
    expect(task(p, id).escalationLevel).toBe(1);
    p.advanceTo(new Date('2027-04-04T22:00:00Z'));
    expect(task(p, id).escalationLevel).toBe(2);
  });

  it('“resume now” brings it back at once with the deadline moved by the time held, and no second return later', () => {
    const { p, id } = pathwayWithTask();
    p.hold(id, '2027-03-20', 'AWAITING_DOCUMENTS');
    p.advance(3 * DAY);
    const resumed = p.resume(id);
    expect(resumed.tasks.find((t) => t.id === id)).toMatchObject({ dueAt: '2027-03-14T08:00:00.000Z' });
    expect(resumed.tasks.find((t) => t.id === id)!.hold).toBeUndefined();
    expect(p.timeline().at(-1)).toMatchObject({ kind: 'TASK_RESUMED', detail: { because: 'RESUMED' } });
    p.advanceTo(new Date('2027-03-21T00:00:00Z'));
    expect(p.kinds().filter((k) => k.startsWith('TASK_RESUMED'))).toHaveLength(1);
  });

  it('completing a held task is allowed and ends the hold; the held task wakes nothing afterwards', () => {
    const { p, id } = pathwayWithTask();
    p.hold(id, '2027-03-20', 'PERSON_AWAY');
    const done = p.complete('visit', 'DONE');
    expect(done.tasks.find((t) => t.id === id)).toMatchObject({ status: 'DONE', outcome: 'DONE' });
    expect(done.tasks.find((t) => t.id === id)!.hold).toBeUndefined();
    p.advanceTo(new Date('2027-03-21T00:00:00Z'));
    expect(p.kinds()).not.toContain('TASK_RESUMED:visit');
  });

  it('a cancelled held task leaves hold with it', () => {
    const { p, id } = pathwayWithTask();
    p.hold(id, '2027-03-20', 'PERSON_AWAY');
    const cancelled = p.cancel(id);
    expect(cancelled.tasks.find((t) => t.id === id)).toMatchObject({ status: 'CANCELLED' });
    expect(cancelled.tasks.find((t) => t.id === id)!.hold).toBeUndefined();
  });

  it('holding again moves the date and keeps the time held since the first hold', () => {
    const { p, id } = pathwayWithTask();
    p.hold(id, '2027-03-05', 'AWAITING_PERSON');
    p.advance(DAY);
    const again = p.hold(id, '2027-03-08', 'OTHER', undefined, 'Venter på svar fra skolen');
    expect(again.tasks.find((t) => t.id === id)!.hold).toEqual({
      until: '2027-03-07T23:00:00.000Z',
      reason: 'OTHER',
      note: 'Venter på svar fra skolen',
      since: '2027-03-01T08:00:00.000Z',
    });
  });

  it('the timeline says when it returns, never the reason or the note', () => {
    const { p, id } = pathwayWithTask();
    p.hold(id, '2027-03-05', 'OTHER', undefined, 'Mor ringer tilbage');
    const entry = p.timeline().at(-1)!;
    expect(entry).toMatchObject({ kind: 'TASK_HELD', agency: 'SSP', taskId: id });
    expect(entry.detail).toEqual({ key: 'visit', until: '2027-03-04T23:00:00.000Z' });
    expect(JSON.stringify(p.batches.at(-1)!.timeline)).not.toMatch(/Mor|OTHER/);
  });

  it('refuses another agency, a date not after today or too far ahead, an unknown reason, OTHER without a note', () => {
    const { p, id } = pathwayWithTask();
    expect(refusal(() => p.hold(id, '2027-03-05', 'AWAITING_PERSON', 'DKS'))).toMatchObject({
      type: 'NotAllowed',
      message: 'the task belongs to SSP',
    });
    expect(refusal(() => p.hold(id, '2027-03-01'))).toMatchObject({ field: 'until', type: 'InvalidInput' });
    expect(refusal(() => p.hold(id, '2027-02-30'))).toMatchObject({ field: 'until' });
    expect(refusal(() => p.hold(id, '5.3.2027'))).toMatchObject({ field: 'until' });
    expect(refusal(() => p.hold(id, '2027-05-31'))).toMatchObject({
      field: 'until',
      message: 'until must be at most 90 days ahead',
    });
    expect(refusal(() => p.hold(id, '2027-05-30'))).toBeUndefined();
    p.resume(id);
    expect(refusal(() => p.hold(id, '2027-03-05', 'VACATION'))).toMatchObject({ field: 'reason' });
    expect(refusal(() => p.hold(id, '2027-03-05', 'OTHER'))).toMatchObject({ field: 'note' });
    expect(refusal(() => p.hold(id, '2027-03-05', 'OTHER', undefined, '  '))).toMatchObject({ field: 'note' });
  });

  it('refuses resuming a task not on hold, by another agency, or done', () => {
    const { p, id } = pathwayWithTask();
    expect(refusal(() => p.resume(id))).toEqual({ type: 'TaskConflict', message: 'the task is not on hold' });
    p.hold(id, '2027-03-05');
    expect(refusal(() => p.resume(id, 'DKS'))).toMatchObject({ type: 'NotAllowed' });
    p.complete('visit', 'DONE');
    expect(refusal(() => p.resume(id))).toMatchObject({ type: 'TaskNotOpen' });
    expect(refusal(() => p.hold(id, '2027-03-05'))).toMatchObject({ type: 'TaskNotOpen' });
  });

  it('refuses holding a handover that waits for the receiver (the receiver’s clock runs)', () => {
    const { p } = pathwayWithTask();
    const handover = p.task('handover');
    p.complete('handover', 'DONE');
    expect(refusal(() => p.hold(handover.id, '2027-03-05'))).toEqual({
      type: 'TaskConflict',
      message: 'the handover waits for EKI to acknowledge it',
    });
  });

  it('asks its patch only when a task is held; a run before the patch ignores the hold', () => {
    const { p, id } = pathwayWithTask();
    p.advanceDays(12);
    expect(p.patchesAsked).not.toContain(PATHWAY_PATCHES.onHold);
    const { p: q, id: qid } = pathwayWithTask();
    q.hold(qid, '2027-03-05');
    expect(q.patchesAsked.filter((x) => x === PATHWAY_PATCHES.onHold)).toHaveLength(1);

    const old = new TestPathway({
      age: 30,
      playbook: drill,
      start: '2027-03-01T08:00:00Z',
      unpatched: [PATHWAY_PATCHES.onHold],
    });
    const oid = old.task('visit').id;
    old.hold(oid, '2027-03-05');
    expect(task(old, oid).hold).toBeUndefined();
    expect(old.kinds()).not.toContain('TASK_HELD:visit');
    expect(id).toBeDefined();
  });
});

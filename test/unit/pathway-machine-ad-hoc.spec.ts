// Ad-hoc tasks on the machine with a fake clock (issue 10, item 8): a coordinator adds work no playbook plans, for
// any agency, with its own deadline; the ladder runs on it; investigation units, past deadlines, closed pathways and
// caseworkers are refused.
import { Refused, TestPathway, V2 } from '../support/machine';

const start = () => new TestPathway({ age: 30, playbook: V2, start: '2027-03-01T08:00:00Z' });

describe('ad-hoc tasks', () => {
  it('a coordinator adds a task for CFR: open in its queue with the deadline set, notified', () => {
    const p = start();
    const status = p.addTask({ agency: 'CFR', dueAt: new Date('2027-03-15T12:00:00Z') });
    const task = status.tasks.at(-1)!;
    expect(task).toMatchObject({
      key: 'ad-hoc',
      type: 'AD_HOC',
      agency: 'CFR',
      title: 'Hjælp til boligsøgning',
      stage: 'CONTACT',
      status: 'OPEN',
      dueAt: '2027-03-15T12:00:00.000Z',
    });
    expect(p.queue('CFR')).toEqual(['ad-hoc']);
    expect(p.notifications()).toContain('CFR:TASK_ASSIGNED');
    expect(p.timeline().at(-1)).toMatchObject({ kind: 'TASK_CREATED', agency: 'CFR' });
  });

  it('the ladder runs on the deadline the coordinator set', () => {
    const p = start();
    p.addTask({ agency: 'SSP', dueAt: new Date('2027-03-05T12:00:00Z') });
    p.advanceTo(new Date('2027-03-05T11:00:00Z'));
    expect(p.status().tasks.at(-1)).toMatchObject({ overdue: false });
    p.advanceTo(new Date('2027-03-05T13:00:00Z'));
    expect(p.status().tasks.at(-1)).toMatchObject({ overdue: true, escalationLevel: 1 });
  });

  it('refuses an investigation unit, a past deadline, a blank title, a caseworker and a closed pathway', () => {
    const p = start();
    const refusal = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as Refused).refusal;
      }
      return undefined;
    };
    const later = new Date('2027-04-01T08:00:00Z');
    expect(refusal(() => p.addTask({ agency: 'POLICE_OC', dueAt: later }))).toMatchObject({
      type: 'InvalidInput',
      field: 'agency',
    });
    expect(refusal(() => p.addTask({ agency: 'SSP', dueAt: new Date('2027-02-01T08:00:00Z') }))).toMatchObject({
      field: 'dueAt',
    });
    expect(refusal(() => p.addTask({ agency: 'SSP', title: '  ', dueAt: later }))).toMatchObject({ field: 'title' });
    expect(refusal(() => p.addTask({ agency: 'SSP', dueAt: later, requestedByRoles: ['CASEWORKER'] }))).toMatchObject({
      type: 'NotAllowed',
    });
    p.close('DECLINED');
    expect(refusal(() => p.addTask({ agency: 'SSP', dueAt: later }))).toEqual({
      type: 'EventRefused',
      message: 'the pathway is closed',
    });
    expect(p.status().tasks.filter((t) => t.key === 'ad-hoc')).toEqual([]);
  });
});

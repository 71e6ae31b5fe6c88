// Playbook v2 (libs/domain/playbooks/v2.json) on the machine with a fake clock: arrest, remand and sentence as
// distinct facts, the køreplan from imprisonment with lead times in months, compressed deadlines after a late
// sentence, dates pending that stall nothing, parent involvement by need, and the v2 first contact.
import { Refused, TestPathway, V1, V2 } from '../support/machine';

const DAY = 86_400_000;
const stages = (p: TestPathway) =>
  p
    .timeline()
    .filter((e) => e.kind === 'STAGE_CHANGED')
    .map((e) => e.detail.to);

/** A v2 pathway of someone this old, on the OUTREACH track. */
function onOutreach(age = 21): TestPathway {
  const p = new TestPathway({ age, playbook: V2 });
  for (const key of ['eas-analysis', 'ssp-home-visit', 'dks-home-visit', 'underretning'])
    if (p.queue('POLICE_EAS').includes(key) || p.status().tasks.some((t) => t.key === key && t.status === 'OPEN'))
      p.complete(key);
  p.event({ type: 'ASSESSED', track: 'OUTREACH', reasons: 'Opsøgende' });
  expect(p.status().stage).toBe('INTERVENTION');
  return p;
}

describe('first contact on v2', () => {
  it('an adult: an analysis for the joint assessment, no registration', () => {
    const p = new TestPathway({ age: 21, playbook: V2 });
    expect(p.status().tasks.map((t) => t.key)).toEqual(['eas-analysis']);
  });

  it('a 14-year-old: the preventive home visit and an underretning to children’s services', () => {
    const p = new TestPathway({ age: 14, playbook: V2 });
    expect(p.status().tasks.map((t) => [t.key, t.agency])).toEqual([
      ['eas-analysis', 'POLICE_EAS'],
      ['ssp-home-visit', 'SSP'],
      ['dks-home-visit', 'POLICE_DKS'],
      ['underretning', 'BORGERCENTER_BU'],
    ]);
  });
});

describe('arrest, remand and sentence as distinct facts', () => {
  it('an arrest is a fact with a short follow-up, not custody; released after arrest, the pathway is where it was', () => {
    const p = onOutreach();
    const before = p.status().tasks.length;
    const arrested = p.event({ type: 'ARRESTED' }, 'POLICE_LOCAL');
    expect(arrested.stage).toBe('INTERVENTION');
    expect(p.queue('EKI')).toEqual(['arrest-follow-up']);
    expect(p.latest('arrest-follow-up').dueAt).toBe('2027-03-03T08:00:00.000Z');
    const released = p.event({ type: 'RELEASED_AFTER_ARREST' });
    expect(released.stage).toBe('INTERVENTION');
    expect(stages(p)).toEqual(['ASSESSMENT', 'INTERVENTION']);
    // Nothing planned again: only the follow-up was added.
    expect(released.tasks).toHaveLength(before + 1);
    expect(() => p.event({ type: 'RELEASED_AFTER_ARREST' })).toThrow(
      expect.objectContaining({ type: 'EventRefused', message: expect.stringMatching(/no arrest or remand/) }),
    );
  });

  it('remanded: custody and the custody talk; released without a sentence: back to the stage it left', () => {
    const p = onOutreach();
    p.event({ type: 'ARRESTED' }, 'POLICE_LOCAL');
    expect(p.event({ type: 'REMANDED' }).stage).toBe('CUSTODY');
    expect(p.queue('EKI')).toEqual(['arrest-follow-up', 'custody-motivation-talk']);
    const outreach = p.queue('CFR');
    const back = p.event({ type: 'RELEASED_AFTER_ARREST' });
    expect(back.stage).toBe('INTERVENTION');
    expect(p.latest('custody-motivation-talk')).toMatchObject({
      status: 'CANCELLED',
      cancelReason: 'released without a sentence',
    });
    expect(p.queue('CFR')).toEqual(outreach);
    expect(
      p
        .timeline()
        .filter((e) => e.kind === 'STAGE_CHANGED')
        .at(-1)?.detail,
    ).toEqual({
      from: 'CUSTODY',
      to: 'INTERVENTION',
      because: 'RELEASED_AFTER_ARREST',
    });
  });

  it('on v1 an arrest still means custody, and RELEASED_AFTER_ARREST brings the pathway back', () => {
    const p = new TestPathway({ age: 21, playbook: V1 });
    p.complete('eas-registration');
    expect(p.event({ type: 'ARRESTED' }).stage).toBe('CUSTODY');
    expect(p.event({ type: 'RELEASED_AFTER_ARREST' }).stage).toBe('ASSESSMENT');
  });

  it('a pathway arrested before the fact was kept (custody, no release date) can still be released after arrest', () => {
    const p = new TestPathway({ age: 21, playbook: V1 });
    p.complete('eas-registration');
    p.event({ type: 'ARRESTED' });
    // As a state carried over from a run of older code has it.
    delete p.machine.state.arrestPending;
    delete p.machine.state.stageBeforeCustody;
    expect(p.event({ type: 'RELEASED_AFTER_ARREST' }).stage).toBe('ASSESSMENT');
  });

  it('a sentence with its dates pending: custody, the køreplan notices at once, the release steps wait; no stall', () => {
    const p = onOutreach();
    const status = p.event({ type: 'SENTENCED' });
    expect(status.stage).toBe('CUSTODY');
    expect(status.expectedReleaseAt).toBeUndefined();
    expect(p.queue('EKI')).toEqual(['custody-motivation-talk', 'koereplan-notice-eki', 'release-plan']);
    expect(p.queue('JOBCENTER')).toEqual(['koereplan-notice-jobcenter']);
    // A release plan within 4 weeks of imprisonment: the same local time, after the move to summer time.
    expect(p.latest('release-plan').dueAt).toBe('2027-03-29T07:00:00.000Z');
    expect(status.waitingTasks.map((w) => [w.key, w.requires])).toEqual([
      ['release-housing', ['releaseDate']],
      ['release-income', ['releaseDate']],
      ['release-education-plan', ['releaseDate']],
    ]);
    for (const key of [
      'custody-motivation-talk',
      'koereplan-notice-eki',
      'koereplan-notice-jobcenter',
      'release-plan',
      'tidlig-plan',
    ])
      p.complete(key);
    for (const key of p.queue('CFR')) p.complete(key);
    p.complete('local-police-contact');
    p.advanceDays(120);
    expect(p.status().stalled).toBe(false);
    expect(p.timeline().some((e) => e.kind === 'PATHWAY_STALLED')).toBe(false);
  });

  it('a sentence with both dates: the køreplan steps months ahead of the earliest parole date; parole refused moves them to the full term', () => {
    const p = onOutreach();
    p.event({ type: 'SENTENCED', earliestParoleDate: '2027-11-01', fullTermDate: '2028-03-01' });
    const due = (key: string) => p.latest(key).dueAt;
    expect(p.status().expectedReleaseAt).toBe('2027-11-01T08:00:00.000Z');
    // Counted back from 09:00 on the release day, Copenhagen time: months, not weeks.
    expect(due('release-housing')).toBe('2027-08-01T07:00:00.000Z');
    expect(due('release-income')).toBe('2027-09-01T07:00:00.000Z');
    expect(due('release-education-plan')).toBe('2027-09-01T07:00:00.000Z');
    expect(p.latest('release-housing').compressed).toBeUndefined();
    p.event({ type: 'PAROLE_DECIDED', granted: false });
    expect(p.status().expectedReleaseAt).toBe('2028-03-01T08:00:00.000Z');
    expect(due('release-housing')).toBe('2027-12-01T08:00:00.000Z');
    // The final 4 weeks: release planning starts then.
    p.advanceTo(new Date('2028-02-02T07:59:59Z'));
    expect(p.status().stage).toBe('CUSTODY');
    p.advanceTo(new Date('2028-02-02T08:00:00Z'));
    expect(p.status().stage).toBe('RELEASE_PLANNING');
  });

  it('a late sentence: deadlines at the earliest feasible time, flagged compressed, not overdue at once', () => {
    const p = onOutreach();
    const release = new Date(Date.parse('2027-03-01T08:00:00Z') + 18 * DAY).toISOString();
    p.event({ type: 'SENTENCED', earliestParoleDate: release });
    const housing = p.latest('release-housing');
    // 10 working days from Monday 1 March 2027.
    expect(housing).toMatchObject({ compressed: true, overdue: false, dueAt: '2027-03-15T08:00:00.000Z' });
    expect(p.timeline().find((e) => e.taskId === housing.id && e.kind === 'TASK_CREATED')?.detail).toMatchObject({
      compressed: 'true',
    });
    p.advanceDays(1);
    expect(p.latest('release-housing').overdue).toBe(false);
  });

  it('parole decided without a sentence is refused', () => {
    const p = onOutreach();
    p.event({ type: 'REMANDED' });
    expect(() => p.event({ type: 'PAROLE_DECIDED', granted: true })).toThrow(Refused);
  });
});

describe('less noise', () => {
  it('parent involvement only when a coordinator records CONTACT_DIFFICULT, and only for young adults', () => {
    const young = new TestPathway({ age: 20, playbook: V2, livesWithParents: true });
    expect(young.queue('SSP_PLUS')).toEqual([]);
    young.event({ type: 'CONTACT_DIFFICULT' });
    expect(young.queue('SSP_PLUS')).toEqual(['parent-involvement']);
    young.event({ type: 'CONTACT_DIFFICULT' });
    expect(young.status().tasks.filter((t) => t.key === 'parent-involvement')).toHaveLength(1);
    const older = new TestPathway({ age: 34, playbook: V2, livesWithParents: true });
    older.event({ type: 'CONTACT_DIFFICULT' });
    expect(older.queue('SSP_PLUS')).toEqual([]);
  });
});

describe('registration only by decision', () => {
  it('an adult is registered only when the joint assessment decides it', () => {
    const p = new TestPathway({ age: 22, playbook: V2 });
    p.complete('eas-analysis');
    p.event({ type: 'ASSESSED', track: 'OUTREACH', reasons: 'Opsøgende' });
    expect(p.queue('POLICE_EAS')).toEqual([]);
    p.event({ type: 'ASSESSED', track: 'OUTREACH', reasons: 'Kendt i miljøet', register: true });
    expect(p.queue('POLICE_EAS')).toEqual(['eas-registration']);
  });

  it('under 18 only with a coordinator’s recorded reason (400 naming data.registrationReason otherwise)', () => {
    const p = new TestPathway({ age: 16, playbook: V2 });
    for (const key of ['eas-analysis', 'ssp-home-visit', 'dks-home-visit', 'underretning']) p.complete(key);
    expect(() => p.event({ type: 'ASSESSED', track: 'PREVENTION', reasons: 'Bekymring', register: true })).toThrow(
      expect.objectContaining({
        type: 'InvalidInput',
        refusal: expect.objectContaining({ field: 'data.registrationReason' }),
      }),
    );
    expect(p.queue('POLICE_EAS')).toEqual([]);
    p.event({
      type: 'ASSESSED',
      track: 'PREVENTION',
      reasons: 'Bekymring',
      register: true,
      registrationReason: 'Rekrutteres aktivt; besluttet på mødet',
    });
    expect(p.queue('POLICE_EAS')).toEqual(['eas-registration']);
  });
});

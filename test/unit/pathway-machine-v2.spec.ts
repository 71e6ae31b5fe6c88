// Playbook v2 rules of the engine (issue 10) on the machine with a fake clock: purpose limitation, assessment at
// any open stage, age-appropriate routing. Each rule that running pathways would notice is behind a patch id
// (PATHWAY_PATCHES); the "before patch" cases are how histories from before it replay.
import { PATHWAY_PATCHES, validatePlaybook, type Playbook } from '../../libs/domain/src';
import { TestPathway, V1 } from '../support/machine';

const assessed = (p: TestPathway, track: string, reasons = 'Fælles vurdering') =>
  p.event({ type: 'ASSESSED', track: track as never, reasons });

/** A v1 pathway of a 21-year-old brought to the joint assessment. */
function atAssessment(age = 21, options: Partial<ConstructorParameters<typeof TestPathway>[0]> = {}): TestPathway {
  const p = new TestPathway({ age, ...options });
  p.complete('eas-registration');
  if (age < 18) {
    p.complete('ssp-home-visit');
    p.complete('dks-home-visit');
  }
  expect(p.status().stage).toBe('ASSESSMENT');
  return p;
}

describe('purpose limitation', () => {
  it('INVESTIGATION_ONLY closes the pathway as REFERRED_TO_INVESTIGATION: no task, no notification for OC', () => {
    const p = atAssessment();
    p.complete('joint-assessment');
    const status = assessed(p, 'INVESTIGATION_ONLY', 'Ikke motiveret; efterforskes');
    expect(status.stage).toBe('CLOSED');
    expect(p.machine.takeBatch('w')).toBeUndefined();
    expect(p.batches.at(-1)).toMatchObject({ stage: 'CLOSED', closingOutcome: 'REFERRED_TO_INVESTIGATION' });
    expect(p.queue('POLICE_OC')).toEqual([]);
    expect(status.tasks.some((t) => t.agency === 'POLICE_OC')).toBe(false);
    expect(p.notifications().some((n) => n.startsWith('POLICE_OC:'))).toBe(false);
    expect(p.timeline().at(-1)).toMatchObject({
      kind: 'PATHWAY_CLOSED',
      detail: { outcome: 'REFERRED_TO_INVESTIGATION' },
    });
  });

  it('a playbook that plans work for OC anyway: the machine withholds it and says so on the timeline', () => {
    const playbook = structuredClone(V1);
    playbook.stages.CONTACT!.tasks.push({
      ...playbook.stages.CONTACT!.tasks[0],
      key: 'oc-contact',
      agency: 'POLICE_OC',
    });
    const p = new TestPathway({ age: 21, playbook });
    expect(p.queue('POLICE_OC')).toEqual([]);
    expect(p.timeline().filter((e) => e.kind === 'TASK_WITHHELD')).toEqual([
      expect.objectContaining({ detail: { key: 'oc-contact', because: 'PURPOSE_LIMITATION' } }),
    ]);
    expect(p.notifications().some((n) => n.startsWith('POLICE_OC:'))).toBe(false);
  });

  it('an age handover that maps to OC moves nothing there', () => {
    const playbook: Playbook = { ...structuredClone(V1), ageHandover: { age: 18, agencies: { SSP: 'POLICE_OC' } } };
    const p = new TestPathway({ age: 17, playbook, adultAt: new Date(Date.parse('2027-03-01T08:00:00Z') + 1000) });
    p.advance(2000);
    expect(p.queue('POLICE_OC')).toEqual([]);
    expect(p.queue('SSP')).toEqual(['ssp-home-visit']);
  });

  it('reassigning a task to OC is refused, naming toAgency', () => {
    const p = new TestPathway({ age: 21 });
    expect(() => p.reassign(p.task('eas-registration').id, 'POLICE_OC')).toThrow(
      expect.objectContaining({ type: 'InvalidInput', refusal: expect.objectContaining({ field: 'toAgency' }) }),
    );
    expect(p.queue('POLICE_EAS')).toEqual(['eas-registration']);
  });

  it('before patch purpose-limitation, INVESTIGATION_ONLY gave OC its information task (replayed histories)', () => {
    const p = atAssessment(21, { unpatched: [PATHWAY_PATCHES.purposeLimitation] });
    p.complete('joint-assessment');
    expect(assessed(p, 'INVESTIGATION_ONLY').stage).toBe('INTERVENTION');
    expect(p.queue('POLICE_OC')).toEqual(['oc-information']);
  });

  it('a pathway that never meets OC work asks nothing about the patch', () => {
    const p = atAssessment();
    p.complete('joint-assessment');
    assessed(p, 'OUTREACH');
    expect(p.patchesAsked).not.toContain(PATHWAY_PATCHES.purposeLimitation);
  });
});

describe('validatePlaybook: purpose limitation at publish', () => {
  const withoutOc = () => {
    const doc = structuredClone(V1) as Playbook;
    doc.stages.INTERVENTION!.tasks = doc.stages.INTERVENTION!.tasks.filter((t) => t.agency !== 'POLICE_OC');
    return { ...doc, version: 5 };
  };

  it('refuses an OC task, naming the field', () => {
    expect(validatePlaybook({ ...structuredClone(V1), version: 5 })).toEqual([
      {
        path: 'stages.INTERVENTION.tasks[9].agency',
        message: expect.stringMatching(/^POLICE_OC is an investigation unit/),
      },
    ]);
  });

  it('refuses a handover to OC and an age-handover mapping to or from OC', () => {
    const doc = withoutOc();
    doc.stages.CONTACT!.tasks[0].handoverTo = 'POLICE_OC';
    doc.ageHandover = { age: 18, agencies: { SSP: 'CFR', POLICE_DKS: 'POLICE_OC', POLICE_OC: 'CFR' } };
    expect(validatePlaybook(doc).map((e) => e.path)).toEqual([
      'stages.CONTACT.tasks[0].handoverTo',
      'ageHandover.agencies.POLICE_DKS',
      'ageHandover.agencies.POLICE_OC',
    ]);
  });

  it('accepts the same playbook without OC work; version 1 as bundled is read without the rule', () => {
    expect(validatePlaybook(withoutOc())).toEqual([]);
    expect(validatePlaybook(V1, { purposeLimitation: false })).toEqual([]);
  });
});

describe('assessment at any open stage', () => {
  it('recording ASSESSED completes the open joint-assessment task: the decision is its outcome', () => {
    const p = atAssessment();
    const joint = p.task('joint-assessment');
    const status = assessed(p, 'OUTREACH');
    expect(status.stage).toBe('INTERVENTION');
    expect(status.tasks.find((t) => t.id === joint.id)).toMatchObject({
      status: 'DONE',
      outcome: 'ASSESSED: OUTREACH',
      completedBy: 'OPERATIVE_GROUP',
    });
    expect(p.kinds()).toEqual(
      expect.arrayContaining(['TASK_COMPLETED:joint-assessment', 'STAGE_CHANGED', 'TASK_CREATED:cfr-outreach']),
    );
    // Nothing left to escalate: the deadline passes without a word.
    p.advanceDays(30);
    expect(p.timeline().filter((e) => e.taskId === joint.id && e.kind === 'TASK_OVERDUE')).toEqual([]);
  });

  it('answers the joint assessment’s open escalation when the decision comes late', () => {
    const p = atAssessment();
    p.advanceDays(20);
    expect(p.status().escalations.filter((e) => e.status === 'OPEN').length).toBeGreaterThan(0);
    assessed(p, 'PREVENTION');
    expect(p.status().escalations.filter((e) => e.taskId === p.latest('joint-assessment').id)).toEqual(
      expect.arrayContaining([expect.objectContaining({ status: 'RESOLVED', decision: 'TASK_DONE' })]),
    );
  });

  it('before patch assessment-completes-joint-task, the task stayed open (replayed histories)', () => {
    const p = atAssessment(21, { unpatched: [PATHWAY_PATCHES.assessmentCompletesTask] });
    assessed(p, 'OUTREACH');
    expect(p.queue('OPERATIVE_GROUP')).toEqual(['joint-assessment']);
  });

  it('Exit assessed in custody: the stage stays, the old track’s work ends, the stage’s Exit work starts', () => {
    const playbook = structuredClone(V1);
    playbook.stages.CUSTODY!.tasks.push({
      key: 'custody-exit',
      agency: 'KRIMINALFORSORGEN',
      type: 'EXIT_INTAKE',
      title: 'Exit i fængslet; overdrages ved løsladelsen',
      due: { kind: 'workingDays', days: 10 },
      when: { tracks: ['EXIT_KK', 'EXIT_NATIONAL'] },
      requires: ['consent'],
    });
    const p = atAssessment(21, { playbook });
    assessed(p, 'OUTREACH');
    p.event({ type: 'REMANDED' });
    expect(p.status().stage).toBe('CUSTODY');
    const status = assessed(p, 'EXIT_KK', 'Motiveret under varetægt');
    expect(status.stage).toBe('CUSTODY');
    expect(status.tasks.filter((t) => t.status === 'CANCELLED').map((t) => t.key)).toEqual([
      'cfr-youth-centre',
      'cfr-outreach',
      'local-police-contact',
    ]);
    expect(p.queue('EKI')).toEqual(['custody-motivation-talk']);
    expect(p.status().waitingTasks.map((w) => [w.key, w.requires])).toEqual([['custody-exit', ['consent']]]);
    p.event({ type: 'CONSENT_GIVEN' });
    expect(p.queue('KRIMINALFORSORGEN')).toEqual(['custody-exit']);
  });

  it('takes a reassessment after release and in follow-up; never before the joint assessment (CONTACT)', () => {
    const p = new TestPathway({ age: 21 });
    expect(() => assessed(p, 'OUTREACH')).toThrow(/ASSESSED does not fit stage CONTACT/);
    p.complete('eas-registration');
    assessed(p, 'OUTREACH');
    p.event({ type: 'SENTENCED', expectedReleaseDate: '2027-09-01' });
    p.event({ type: 'RELEASED' });
    expect(assessed(p, 'PREVENTION').stage).toBe('REINTEGRATION');
    expect(p.status().track).toBe('PREVENTION');
  });
});

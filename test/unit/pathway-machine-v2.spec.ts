// Playbook v2 rules of the engine (issue 10) on the machine with a fake clock: purpose limitation, assessment at
// any open stage, age-appropriate routing. Each rule that running pathways would notice is behind a patch id
// (PATHWAY_PATCHES); the "before patch" cases are how histories from before it replay.
import {
  PATHWAY_PATCHES,
  recordEventRefusal,
  validatePlaybook,
  type EventData,
  type Playbook,
} from '../../libs/domain/src';
import { TestPathway, V1 } from '../support/machine';

const exitKk: EventData = { type: 'ASSESSED', track: 'EXIT_KK', reasons: 'Ønsker exit' };
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
    const p = atAssessment(21, {
      unpatched: [PATHWAY_PATCHES.purposeLimitation, PATHWAY_PATCHES.withdrawInvestigationWork],
    });
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

describe('age-appropriate routing', () => {
  it('Exit for a 15-year-old is refused (409 naming data.track), by the validator the API shares; PREVENTION is taken', () => {
    const p = atAssessment(15);
    for (const track of ['EXIT_KK', 'EXIT_NATIONAL']) {
      expect(() => assessed(p, track)).toThrow(
        expect.objectContaining({
          type: 'EventRefused',
          refusal: expect.objectContaining({ field: 'data.track', message: expect.stringMatching(/is for adults/) }),
        }),
      );
    }
    expect(p.status().stage).toBe('ASSESSMENT');
    expect(assessed(p, 'PREVENTION').stage).toBe('INTERVENTION');
    // The same rule as a pure function, as the API calls it with the read model's facts.
    expect(
      recordEventRefusal({ stage: 'ASSESSMENT', hasReleaseDate: false, age: 17 }, 'ASSESSED', {
        track: 'EXIT_KK',
        reasons: 'x',
      }),
    ).toMatchObject({ type: 'EventRefused', field: 'data.track' });
    expect(
      recordEventRefusal({ stage: 'ASSESSMENT', hasReleaseDate: false, age: 18 }, 'ASSESSED', {
        track: 'EXIT_KK',
        reasons: 'x',
      }),
    ).toBeUndefined();
  });

  it('the shell’s handler leaves the age out (histories from before the rule replay), the validator keeps it', () => {
    const p = atAssessment(16);
    const event = { occurredAt: p.now.toISOString(), recordedBy: 'OPERATIVE_GROUP', data: exitKk };
    expect(p.machine.refuseRecordEvent(event)).toMatchObject({ field: 'data.track' });
    expect(p.machine.refuseRecordEvent(event, { checkReleaseInPast: false, checkAge: false })).toBeUndefined();
  });

  it('a minor in custody gets no task for an adult agency (EKI): withheld, and said so; the rest is planned', () => {
    const p = new TestPathway({ age: 16 });
    p.event({ type: 'REMANDED' });
    expect(p.queue('EKI')).toEqual([]);
    expect(p.queue('TIDLIG')).toEqual(['tidlig-plan']);
    expect(p.timeline().filter((e) => e.kind === 'TASK_WITHHELD')).toEqual([
      expect.objectContaining({ detail: { key: 'custody-motivation-talk', because: 'AGE' } }),
    ]);
  });

  it('UU takes no task for someone of 25 or over, whatever the playbook says', () => {
    const playbook = structuredClone(V1);
    playbook.stages.CONTACT!.tasks.push({ ...playbook.stages.CONTACT!.tasks[0], key: 'uu-any-age', agency: 'UU' });
    expect(new TestPathway({ age: 24, playbook }).queue('UU')).toEqual(['uu-any-age']);
    expect(new TestPathway({ age: 25, playbook }).queue('UU')).toEqual([]);
  });

  it('before patch age-appropriate-routing, a minor in custody got EKI’s talk (replayed histories)', () => {
    const p = new TestPathway({ age: 16, unpatched: [PATHWAY_PATCHES.ageAppropriateRouting] });
    p.event({ type: 'REMANDED' });
    expect(p.queue('EKI')).toEqual(['custody-motivation-talk']);
  });

  describe('the transition plan before the 18th birthday, and SSP+ at 18', () => {
    const playbook = (): Playbook => {
      const doc = structuredClone(V1);
      doc.ageHandover = {
        age: 18,
        agencies: { SSP: 'SSP_PLUS', POLICE_DKS: 'POLICE_LOCAL' },
        transitionPlan: {
          before: { kind: 'months', months: 6 },
          task: {
            key: 'transition-plan',
            agency: 'SSP',
            type: 'TRANSITION_PLAN',
            title: 'Overgangsplan til 18 år',
            due: { kind: 'workingDays', days: 20 },
          },
        },
      };
      return doc;
    };

    it('a 17-year-old gets the plan at 17½ (Copenhagen midnight), and SSP’s open work moves to SSP+ at 18', () => {
      // Born 2010-03-01: 17½ on 2027-09-01 (22:00 UTC the day before, summer time), 18 on 2028-03-01.
      const p = new TestPathway({ age: 17, playbook: playbook() });
      p.advanceTo(new Date('2027-08-31T21:59:59.999Z'));
      expect(p.queue('SSP')).toEqual(['ssp-home-visit']);
      p.advanceTo(new Date('2027-08-31T22:00:00Z'));
      expect(p.queue('SSP')).toEqual(['ssp-home-visit', 'transition-plan']);
      expect(p.latest('transition-plan')).toMatchObject({ stage: 'CONTACT', agency: 'SSP' });
      p.advanceTo(new Date('2028-02-29T23:00:00Z'));
      expect(p.queue('SSP')).toEqual([]);
      expect(p.queue('SSP_PLUS')).toEqual(['ssp-home-visit', 'transition-plan']);
      // Once: no second plan however long the pathway runs.
      p.advanceDays(400);
      expect(p.status().tasks.filter((t) => t.key === 'transition-plan')).toHaveLength(1);
    });

    it('opened after 17½: the plan comes at once; opened at 18 or later: never', () => {
      const adultAt = new Date(Date.parse('2027-03-01T08:00:00Z') + 30 * 86_400_000);
      const late = new TestPathway({ age: 17, adultAt, playbook: playbook() });
      late.advance(1);
      expect(late.queue('SSP')).toContain('transition-plan');
      const adult = new TestPathway({ age: 18, playbook: playbook() });
      adult.advanceDays(30);
      expect(adult.status().tasks.some((t) => t.key === 'transition-plan')).toBe(false);
    });

    it('validatePlaybook checks the plan: months 1-24, a task like any other, its key unique', () => {
      const doc = { ...playbook(), version: 9 } as any;
      doc.stages.INTERVENTION.tasks = doc.stages.INTERVENTION.tasks.filter((t: any) => t.agency !== 'POLICE_OC');
      expect(validatePlaybook(doc)).toEqual([]);
      doc.ageHandover.transitionPlan.before.months = 30;
      doc.ageHandover.transitionPlan.task.key = 'eas-registration';
      doc.ageHandover.transitionPlan.task.agency = 'POLICE_OC';
      expect(validatePlaybook(doc).map((e) => e.path)).toEqual([
        'ageHandover.transitionPlan.before.months',
        'ageHandover.transitionPlan.task.key',
        'ageHandover.transitionPlan.task.agency',
      ]);
    });
  });
});

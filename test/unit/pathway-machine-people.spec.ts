// Correcting the person (issue 10, item 7) on the machine with a fake clock: a coordinator's corrected birth date
// re-plans the work that hangs on the age (PATHWAY_PATCHES.personCorrection); a corrected name only changes the
// record. The timeline says what was corrected, never the old or new values.
import { PATHWAY_PATCHES, type EventData } from '../../libs/domain/src';
import { Refused, TestPathway, V2 } from '../support/machine';

/** A v2 pathway of someone recorded as 21 (born 2006-03-01), assessed for Exit KK with consent: EKI and Jobcenter work. */
function adultInExit(): TestPathway {
  const p = new TestPathway({ age: 21, playbook: V2 });
  p.complete('eas-analysis');
  p.complete('joint-assessment');
  p.event({ type: 'ASSESSED', track: 'EXIT_KK', reasons: 'Ønsker exit' } as EventData);
  p.event({ type: 'CONSENT_GIVEN' } as EventData);
  expect(p.status().stage).toBe('INTERVENTION');
  expect(p.queue('EKI')).toEqual(['eki-exit-intake', 'eki-mentor']);
  expect(p.queue('JOBCENTER')).toEqual(['jobcenter-exit-plan']);
  return p;
}

const open = (p: TestPathway) =>
  p
    .status()
    .tasks.filter((t) => t.status === 'OPEN' || t.status === 'CLAIMED')
    .map((t) => `${t.key}@${t.agency}`)
    .sort();

describe('a corrected birth date re-plans the work that hangs on the age', () => {
  it('an "adult" found to be 16: Exit and Jobcenter work cancelled, transition plan at 17½, SSP+ at 18', () => {
    const p = adultInExit();
    const status = p.correctPerson({ birthDate: '2010-06-15' });
    expect(open(p)).toEqual([]);
    for (const key of ['eki-exit-intake', 'eki-mentor', 'jobcenter-exit-plan'])
      expect(status.tasks.find((t) => t.key === key)).toMatchObject({ status: 'CANCELLED', cancelCode: 'NOT_NEEDED' });
    const entry = p.timeline().find((e) => e.kind === 'PERSON_CORRECTED');
    expect(entry).toMatchObject({ agency: 'POLICE_EAS', detail: { fields: 'birthDate', ageGroup: 'MINOR' } });
    // Neither the reason nor any value reaches the timeline.
    expect(JSON.stringify(p.timeline())).not.toMatch(/2010-06-15|2006-03-01|Forkert|Test Person/);
    expect(p.batches.at(-1)).toMatchObject({ correctedPerson: { name: 'Test Person', birthDate: '2010-06-15' } });
    const written = p.batches.length;

    // 17½ on 2027-12-15: Copenhagen midnight is 23:00 UTC the day before (winter time).
    p.advanceTo(new Date('2027-12-14T22:59:59Z'));
    expect(open(p)).toEqual([]);
    p.advanceTo(new Date('2027-12-14T23:00:00Z'));
    expect(open(p)).toEqual(['transition-plan@SSP']);
    // Later batches do not carry the person again.
    expect(p.batches.length).toBeGreaterThan(written);
    expect(p.batches.slice(written).every((b) => b?.correctedPerson === undefined)).toBe(true);
    // 18 on 2028-06-15 (summer time): the plan's open work moves to SSP+.
    p.advanceTo(new Date('2028-06-14T21:59:59Z'));
    expect(open(p)).toEqual(['transition-plan@SSP']);
    p.advanceTo(new Date('2028-06-14T22:00:00Z'));
    expect(open(p)).toEqual(['transition-plan@SSP_PLUS']);
  });

  it('a "minor" found to be 19: work for minors only cancelled, handed over at once', () => {
    // Recorded as 17 (born 2010-03-01): SSP's and DKS's home visits and the children's services' underretning.
    const p = new TestPathway({ age: 17, playbook: V2 });
    expect(open(p)).toEqual([
      'dks-home-visit@POLICE_DKS',
      'eas-analysis@POLICE_EAS',
      'ssp-home-visit@SSP',
      'underretning@BORGERCENTER_BU',
    ]);
    const status = p.correctPerson({ birthDate: '2008-01-10' });
    expect(p.timeline().find((e) => e.kind === 'PERSON_CORRECTED')?.detail).toEqual({
      fields: 'birthDate',
      ageGroup: 'ADULT',
    });
    for (const key of ['dks-home-visit', 'ssp-home-visit', 'underretning'])
      expect(status.tasks.find((t) => t.key === key)).toMatchObject({ status: 'CANCELLED', cancelCode: 'NOT_NEEDED' });
    expect(open(p)).toEqual(['eas-analysis@POLICE_EAS']);
    // The 18th birthday is past: the next wake-up is now, and hands over.
    expect(p.machine.nextWakeUp()).toBeLessThanOrEqual(p.now.getTime());
    p.advance(1);
    expect(p.machine.state.handedOver).toBe(true);
    // No transition plan for an adult.
    p.advanceDays(400);
    expect(p.status().tasks.some((t) => t.key === 'transition-plan')).toBe(false);
  });

  it('a "minor" in prevention found to be 19: the youth work ends and the adult work of the stage is planned', () => {
    const p = new TestPathway({ age: 17, playbook: V2 });
    for (const key of ['eas-analysis', 'ssp-home-visit', 'dks-home-visit', 'underretning']) p.complete(key);
    p.complete('joint-assessment');
    p.event({ type: 'ASSESSED', track: 'PREVENTION', reasons: 'Forebyggelse' } as EventData);
    expect(open(p)).toEqual(['dks-prevention-visit@POLICE_DKS', 'ssp-prevention@SSP']);
    p.correctPerson({ birthDate: '2008-01-10' });
    expect(open(p)).toEqual(['cfr-youth-centre@CFR']);
    expect(p.latest('ssp-prevention')).toMatchObject({ status: 'CANCELLED', cancelCode: 'NOT_NEEDED' });
    expect(p.latest('cfr-youth-centre')).toMatchObject({ stage: 'INTERVENTION', status: 'OPEN' });
  });

  it('a transition plan handed out for a birthday now further off is cancelled and planned again at its time', () => {
    // Recorded as born 2009-08-01: 17½ on 2027-02-01, so the plan is out at once.
    const p = new TestPathway({ age: 17, playbook: V2, start: '2027-03-01T08:00:00Z' });
    p.correctPerson({ birthDate: '2009-08-01' });
    p.advance(1);
    expect(open(p)).toContain('transition-plan@SSP');
    // Really born 2010-02-20: 17½ on 2027-08-20.
    p.correctPerson({ birthDate: '2010-02-20' }, 'Fødselsdato fra CPR');
    expect(open(p)).not.toContain('transition-plan@SSP');
    expect(p.latest('transition-plan')).toMatchObject({ status: 'CANCELLED', cancelCode: 'NOT_NEEDED' });
    p.advanceTo(new Date('2027-08-19T21:59:59Z'));
    expect(open(p)).not.toContain('transition-plan@SSP');
    p.advanceTo(new Date('2027-08-19T22:00:00Z'));
    expect(open(p)).toContain('transition-plan@SSP');
    expect(p.status().tasks.filter((t) => t.key === 'transition-plan')).toHaveLength(2);
  });

  it('a corrected name changes the record only: no re-plan, no patch asked, the name not on the timeline', () => {
    const p = adultInExit();
    const asked = p.patchesAsked.length;
    p.correctPerson({ name: '  Kasper Østergård  ' }, 'Stavefejl');
    expect(p.patchesAsked.slice(asked)).not.toContain(PATHWAY_PATCHES.personCorrection);
    expect(p.queue('EKI')).toEqual(['eki-exit-intake', 'eki-mentor']);
    expect(p.batches.at(-1)?.correctedPerson).toMatchObject({ name: 'Kasper Østergård', birthDate: '2006-03-01' });
    expect(p.timeline().at(-1)).toMatchObject({ kind: 'PERSON_CORRECTED', detail: { fields: 'name' } });
    expect(JSON.stringify(p.timeline())).not.toMatch(/Kasper|Test Person|Stavefejl/);
  });

  it('before the patch a corrected birth date changes the record and nothing else', () => {
    const p = adultInExit();
    const unpatched = new TestPathway({ age: 21, playbook: V2, unpatched: [PATHWAY_PATCHES.personCorrection] });
    unpatched.complete('eas-analysis');
    unpatched.complete('joint-assessment');
    unpatched.event({ type: 'ASSESSED', track: 'EXIT_KK', reasons: 'Ønsker exit' } as EventData);
    unpatched.event({ type: 'CONSENT_GIVEN' } as EventData);
    unpatched.correctPerson({ birthDate: '2010-06-15' });
    expect(unpatched.queue('EKI')).toEqual(['eki-exit-intake', 'eki-mentor']);
    expect(unpatched.patchesAsked).toContain(PATHWAY_PATCHES.personCorrection);
    expect(p.queue('EKI')).toEqual(['eki-exit-intake', 'eki-mentor']);
  });
});

describe('refused corrections', () => {
  const refused = (f: () => unknown) => {
    try {
      f();
    } catch (err) {
      return (err as Refused).refusal;
    }
    throw new Error('not refused');
  };

  it('names the field, and refuses a closed pathway, a non-coordinator and a correction that changes nothing', () => {
    const p = new TestPathway({ age: 16, playbook: V2 });
    expect(refused(() => p.correctPerson({}))).toMatchObject({ type: 'InvalidInput', field: 'name' });
    expect(refused(() => p.correctPerson({ birthDate: '2010-02-30' }))).toMatchObject({ field: 'birthDate' });
    expect(refused(() => p.correctPerson({ birthDate: '2031-01-01' }))).toMatchObject({
      field: 'birthDate',
      message: 'birthDate must not be in the future',
    });
    expect(refused(() => p.correctPerson({ name: '   ' }))).toMatchObject({ field: 'name' });
    expect(refused(() => p.correctPerson({ name: 'Ny' }, ''))).toMatchObject({ field: 'reason' });
    expect(refused(() => p.correctPerson({ name: 'Test Person' }))).toMatchObject({ type: 'EventRefused' });
    expect(refused(() => p.correctPerson({ name: 'Ny' }, 'Fejl', ['CASEWORKER']))).toMatchObject({
      type: 'NotAllowed',
    });
    p.close('MOVED');
    expect(refused(() => p.correctPerson({ name: 'Ny' }))).toMatchObject({
      type: 'EventRefused',
      message: 'the pathway is closed',
    });
  });
});

// Playbook v2 rules left from issue 10 on the machine with a fake clock: investigation work from before purpose
// limitation withdrawn, CHARGED as its own fact, ad-hoc work that does not hold the stage, agencies that exist, work
// ended at the birthday past an agency's ages (UU at 25), finished prevention cases that never stall. Each change for
// running pathways is behind a patch id; the "before the patch" cases are how older histories replay.
import { PATHWAY_PATCHES, validatePlaybook, type EventData } from '../../libs/domain/src';
import { Refused, TestPathway, V2, V3 } from '../support/machine';

const START = '2027-03-01T08:00:00Z';
const assessed = (p: TestPathway, track: string) =>
  p.event({ type: 'ASSESSED', track: track as never, reasons: 'Fælles vurdering' });

function refusal(f: () => unknown) {
  try {
    f();
  } catch (e) {
    return (e as Refused).refusal;
  }
  return undefined;
}

describe('investigation work from before purpose limitation', () => {
  /** A v1 pathway that gave OC its information task, as pathways did before purpose-limitation. */
  function withOcTask(): TestPathway {
    const old = [PATHWAY_PATCHES.purposeLimitation, PATHWAY_PATCHES.withdrawInvestigationWork];
    const p = new TestPathway({ age: 21, start: START, unpatched: old });
    p.complete('eas-registration');
    p.complete('joint-assessment');
    assessed(p, 'INVESTIGATION_ONLY');
    expect(p.queue('POLICE_OC')).toEqual(['oc-information']);
    return p;
  }

  /** The same pathway continued on today's code (purpose-limitation still off: its marker was never recorded). */
  const onNewCode = (p: TestPathway, unpatched: string[] = []) =>
    new TestPathway(
      { age: 21, start: p.now.toISOString(), unpatched: [PATHWAY_PATCHES.purposeLimitation, ...unpatched] },
      structuredClone(p.machine.state),
    );

  it('is cancelled with the neutral code at the next activation; OC hears nothing more', () => {
    const q = onNewCode(withOcTask());
    q.jumpTo(new Date(q.now.getTime() + 60_000));
    expect(q.queue('POLICE_OC')).toEqual([]);
    expect(q.latest('oc-information')).toMatchObject({ status: 'CANCELLED', cancelCode: 'NOT_NEEDED' });
    expect(q.timeline().at(-1)).toMatchObject({
      kind: 'TASK_CANCELLED',
      agency: 'POLICE_OC',
      detail: { key: 'oc-information', code: 'NOT_NEEDED' },
    });
    expect(q.notifications().some((n) => n.startsWith('POLICE_OC:'))).toBe(false);
  });

  it('is cancelled by the next command too, before the command’s own work', () => {
    const q = onNewCode(withOcTask());
    q.event({ type: 'MOVED', district: 'TINGBJERG' });
    expect(q.queue('POLICE_OC')).toEqual([]);
  });

  it('before the patch (a replayed history) it stays open', () => {
    const q = onNewCode(withOcTask(), [PATHWAY_PATCHES.withdrawInvestigationWork]);
    q.jumpTo(new Date(q.now.getTime() + 60_000));
    expect(q.queue('POLICE_OC')).toEqual(['oc-information']);
  });

  it('is cancelled while on hold too: the hold ends with it, and the task never returns to OC', () => {
    const p = withOcTask();
    p.hold(p.latest('oc-information').id, '2027-03-20');
    expect(p.latest('oc-information').hold).toBeDefined();
    const q = onNewCode(p);
    q.jumpTo(new Date('2027-03-25T08:00:00Z'));
    expect(q.latest('oc-information')).toMatchObject({ status: 'CANCELLED', cancelCode: 'NOT_NEEDED' });
    expect(q.latest('oc-information').hold).toBeUndefined();
    expect(q.timeline().some((e) => e.kind === 'TASK_RESUMED')).toBe(false);
  });

  it('a pathway without OC work never asks about the patch', () => {
    const p = new TestPathway({ age: 21, playbook: V2, start: START });
    p.complete('eas-analysis');
    p.advanceDays(40);
    expect(p.patchesAsked).not.toContain(PATHWAY_PATCHES.withdrawInvestigationWork);
  });
});

describe('CHARGED', () => {
  it('is a fact on the timeline: no stage change, no task, no arrest to be released from', () => {
    const p = new TestPathway({ age: 21, playbook: V2, start: START });
    const tasks = p.status().tasks.length;
    const status = p.event({ type: 'CHARGED' });
    expect(status.stage).toBe('CONTACT');
    expect(status.tasks).toHaveLength(tasks);
    expect(p.timeline().at(-1)).toMatchObject({ kind: 'EVENT_RECORDED', detail: { type: 'CHARGED' } });
    expect(refusal(() => p.event({ type: 'RELEASED_AFTER_ARREST' }))).toMatchObject({ type: 'EventRefused' });
  });

  it('is taken in custody as well (charged with something else while remanded)', () => {
    const p = new TestPathway({ age: 21, playbook: V2, start: START });
    p.event({ type: 'REMANDED' });
    expect(p.event({ type: 'CHARGED' }).stage).toBe('CUSTODY');
  });
});

describe('ad-hoc tasks and the stage', () => {
  const adHocThenContactDone = (unpatched: string[] = []) => {
    const p = new TestPathway({ age: 30, playbook: V2, start: START, unpatched });
    p.addTask({ agency: 'CFR', dueAt: new Date('2027-04-15T12:00:00Z') });
    return { p, status: p.complete('eas-analysis') };
  };

  it('an open ad-hoc task does not hold the move: CONTACT’s own work done → ASSESSMENT, the ad-hoc task still open', () => {
    const { p, status } = adHocThenContactDone();
    expect(status.stage).toBe('ASSESSMENT');
    expect(p.queue('CFR')).toEqual(['ad-hoc']);
    expect(p.queue('OPERATIVE_GROUP')).toEqual(['joint-assessment']);
  });

  it('before the patch the ad-hoc task held the stage', () => {
    expect(adHocThenContactDone([PATHWAY_PATCHES.adHocDoesNotHoldStage]).status.stage).toBe('CONTACT');
  });

  it('the patch is asked only when an ad-hoc task would have held the move', () => {
    const p = new TestPathway({ age: 30, playbook: V2, start: START });
    p.complete('eas-analysis');
    expect(p.patchesAsked).not.toContain(PATHWAY_PATCHES.adHocDoesNotHoldStage);
  });
});

describe('agencies that exist', () => {
  it('the workflow’s validator refuses an unknown agency for an ad-hoc task and for a reassignment, naming the field', () => {
    const p = new TestPathway({ age: 30, playbook: V2, start: START });
    const later = new Date('2027-04-01T08:00:00Z');
    expect(refusal(() => p.addTask({ agency: 'ACME_HOUSING', dueAt: later }))).toEqual({
      type: 'InvalidInput',
      message: "unknown agency 'ACME_HOUSING'",
      field: 'agency',
    });
    expect(refusal(() => p.reassign(p.task('eas-analysis').id, 'ACME_HOUSING'))).toEqual({
      type: 'InvalidInput',
      message: "unknown agency 'ACME_HOUSING'",
      field: 'toAgency',
    });
    expect(p.queue('POLICE_EAS')).toEqual(['eas-analysis']);
    // Seeded agencies, v2's included, are fine.
    expect(p.addTask({ agency: 'SSP_PLUS', dueAt: later }).tasks.at(-1)).toMatchObject({ agency: 'SSP_PLUS' });
  });
});

describe('work ends at the birthday past an agency’s ages (UU at 25)', () => {
  // 24 at a sentence in March 2027: UU's education plan is planned; the 25th birthday is 1 March 2028 in prison.
  const sentenced: EventData = { type: 'SENTENCED', earliestParoleDate: '2028-09-01', fullTermDate: '2029-01-01' };
  const uuInCustody = (unpatched: string[] = []) => {
    const p = new TestPathway({ age: 24, playbook: V2, start: START, unpatched });
    p.event(sentenced);
    expect(p.queue('UU')).toEqual(['release-education-plan']);
    return p;
  };

  it('the open UU task is cancelled with the neutral code on the 25th birthday, not a day before', () => {
    const p = uuInCustody();
    p.advanceTo(new Date('2028-02-29T12:00:00Z'));
    expect(p.queue('UU')).toEqual(['release-education-plan']);
    p.advanceTo(new Date('2028-03-01T06:00:00Z'));
    expect(p.queue('UU')).toEqual([]);
    expect(p.latest('release-education-plan')).toMatchObject({ status: 'CANCELLED', cancelCode: 'NOT_NEEDED' });
    const cancelled = p.timeline().find((e) => e.kind === 'TASK_CANCELLED');
    expect(cancelled).toMatchObject({
      at: '2028-02-29T23:00:00.000Z',
      agency: 'UU',
      detail: { reason: 'UU serves people up to 24 years', code: 'NOT_NEEDED' },
    });
    // The rest of the release plan goes on.
    expect(p.queue('EKI')).toContain('release-housing');
  });

  it('a UU task on hold past the birthday ends there all the same, its hold with it', () => {
    const p = uuInCustody();
    p.advanceTo(new Date('2028-02-01T12:00:00Z'));
    p.hold(p.latest('release-education-plan').id, '2028-03-15');
    p.advanceTo(new Date('2028-03-01T06:00:00Z'));
    expect(p.latest('release-education-plan')).toMatchObject({ status: 'CANCELLED', cancelCode: 'NOT_NEEDED' });
    expect(p.latest('release-education-plan').hold).toBeUndefined();
    p.advanceTo(new Date('2028-03-16T12:00:00Z'));
    expect(p.timeline().some((e) => e.kind === 'TASK_RESUMED')).toBe(false);
  });

  it('before the patch the UU task stays open past 25', () => {
    const p = uuInCustody([PATHWAY_PATCHES.ageLimitEndsWork]);
    p.advanceTo(new Date('2028-03-02T12:00:00Z'));
    expect(p.queue('UU')).toEqual(['release-education-plan']);
  });

  it('an ad-hoc task a coordinator gives UU for someone already 25 is their decision and stays', () => {
    const p = new TestPathway({ age: 25, playbook: V2, start: START });
    p.addTask({ agency: 'UU', dueAt: new Date('2027-06-01T08:00:00Z') });
    p.advanceTo(new Date('2027-05-01T08:00:00Z'));
    expect(p.queue('UU')).toEqual(['ad-hoc']);
  });
});

describe('stall rules per stage', () => {
  /** A 15-year-old assessed for prevention, whose prevention work is all done. */
  function finishedPrevention(track: string, unpatched: string[] = []): TestPathway {
    const p = new TestPathway({ age: 15, playbook: V2, start: START, unpatched });
    for (const key of ['eas-analysis', 'ssp-home-visit', 'dks-home-visit', 'underretning']) p.complete(key);
    p.complete('joint-assessment');
    assessed(p, track);
    for (const t of p.status().tasks.filter((t) => t.status === 'OPEN')) p.complete(t.key);
    expect(p.status().tasks.filter((t) => t.status === 'OPEN')).toEqual([]);
    return p;
  }

  it('a finished prevention case (nothing open, nothing planned) is not flagged stalled after 30 days', () => {
    const p = finishedPrevention('PREVENTION');
    p.advanceDays(45);
    expect(p.status()).toMatchObject({ stage: 'INTERVENTION', stalled: false });
    expect(p.kinds()).not.toContain('PATHWAY_STALLED');
  });

  it('before the patch it stalled, as it did', () => {
    const p = finishedPrevention('PREVENTION', [PATHWAY_PATCHES.finishedPreventionNeverStalls]);
    p.advanceDays(45);
    expect(p.status().stalled).toBe(true);
  });

  it('an outreach pathway with nothing open still stalls: someone should act', () => {
    const p = new TestPathway({ age: 21, playbook: V2, start: START });
    p.complete('eas-analysis');
    p.complete('joint-assessment');
    assessed(p, 'OUTREACH');
    for (const t of p.status().tasks.filter((t) => t.status === 'OPEN')) p.complete(t.key);
    p.advanceDays(45);
    expect(p.status().stalled).toBe(true);
  });

  it('a remand with no dates never stalls (CUSTODY stalls: false)', () => {
    const p = new TestPathway({ age: 21, playbook: V2, start: START });
    p.event({ type: 'REMANDED' });
    for (const t of p.status().tasks.filter((t) => t.status === 'OPEN')) p.complete(t.key);
    p.advanceDays(120);
    expect(p.status()).toMatchObject({ stage: 'CUSTODY', stalled: false });
  });
});

describe('suggested tasks (playbook 3: Tidlig helhedsindsats by need)', () => {
  const inCustody = (age = 21) => {
    const p = new TestPathway({ age, playbook: V3, start: START });
    p.event({ type: 'REMANDED' });
    return p;
  };

  it('custody no longer creates the Tidlig plan; it is offered, and a coordinator adding it creates it', () => {
    const p = inCustody();
    expect(p.queue('TIDLIG')).toEqual([]);
    expect(p.machine.suggestions().map((s) => [s.key, s.agency])).toEqual([['tidlig-plan', 'TIDLIG']]);
    const status = p.addSuggested('tidlig-plan');
    expect(status.tasks.at(-1)).toMatchObject({
      key: 'tidlig-plan',
      agency: 'TIDLIG',
      stage: 'CUSTODY',
      status: 'OPEN',
      dueAt: '2027-03-15T08:00:00.000Z',
    });
    expect(p.queue('TIDLIG')).toEqual(['tidlig-plan']);
    expect(p.kinds().slice(-2)).toEqual(['SUGGESTION_ADDED:tidlig-plan', 'TASK_CREATED:tidlig-plan']);
    expect(p.notifications()).toContain('TIDLIG:TASK_ASSIGNED');
    // Open now, so no longer suggested; a second add is refused with what is suggested (nothing).
    expect(p.machine.suggestions()).toEqual([]);
    expect(refusal(() => p.addSuggested('tidlig-plan'))).toEqual({
      type: 'EventRefused',
      message: 'tidlig-plan is not suggested for this pathway now; nothing is',
    });
  });

  it('refuses a key that is not a suggestion now, a caseworker, and a closed pathway', () => {
    const p = inCustody();
    expect(refusal(() => p.addSuggested('eas-registration'))).toEqual({
      type: 'EventRefused',
      message: 'eas-registration is not suggested for this pathway now; suggested: tidlig-plan',
    });
    expect(refusal(() => p.addSuggested('tidlig-plan', ['CASEWORKER']))).toMatchObject({ type: 'NotAllowed' });
    expect(refusal(() => p.addSuggested(''))).toMatchObject({ type: 'InvalidInput', field: 'key' });
    p.close('DECLINED');
    expect(p.machine.suggestions()).toEqual([]);
    expect(refusal(() => p.addSuggested('tidlig-plan'))).toMatchObject({ message: 'the pathway is closed' });
  });

  it('suggests only what fits: nothing for a 16-year-old in custody (Tidlig is 18+), nothing outside custody', () => {
    expect(inCustody(16).machine.suggestions()).toEqual([]);
    expect(new TestPathway({ age: 21, playbook: V3, start: START }).machine.suggestions()).toEqual([]);
  });

  it('playbook 2 still creates it at once (pathways on v2 keep v2)', () => {
    const p = new TestPathway({ age: 21, playbook: V2, start: START });
    p.event({ type: 'REMANDED' });
    expect(p.queue('TIDLIG')).toEqual(['tidlig-plan']);
    expect(p.machine.suggestions()).toEqual([]);
  });

  it('validatePlaybook checks suggested tasks as tasks and refuses one for an investigation unit, naming the field', () => {
    const doc = structuredClone(V3);
    doc.version = 9;
    doc.stages.CUSTODY!.suggested!.push({ ...doc.stages.CUSTODY!.suggested![0], key: 'oc-look', agency: 'POLICE_OC' });
    expect(validatePlaybook(doc)).toEqual([
      { path: 'stages.CUSTODY.suggested[1].agency', message: expect.stringMatching(/^POLICE_OC /) },
    ]);
    const bad = structuredClone(V3) as unknown as { stages: { CUSTODY: { suggested: unknown } } };
    bad.stages.CUSTODY.suggested = 'tidlig-plan';
    expect(validatePlaybook(bad)).toContainEqual({
      path: 'stages.CUSTODY.suggested',
      message: 'must be a list of tasks',
    });
    expect(validatePlaybook(V3)).toEqual([]);
  });
});

// Whole pathways on the machine with a fake clock and the real v1 playbook (spans in days, not seconds): the age
// handover, exit with consent through custody and release to follow-ups, re-arrest, drop-out, consent and
// motivation waiting, release dates that move, and each track's queues. The Temporal side of the same paths (a
// timer firing, continue-as-new, replay) is in test/integration.
import { addCalendarDays, type Playbook } from '../../libs/domain/src';
import { Refused, TestPathway, V1 } from '../support/machine';

const DAY = 86_400_000;
const stages = (p: TestPathway) =>
  p
    .timeline()
    .filter((e) => e.kind === 'STAGE_CHANGED')
    .map((e) => e.detail.to);

describe('the age handover', () => {
  it('a 15-year-old in prevention turns 18: open SSP and DKS work moves to CFR and the local police', () => {
    const p = new TestPathway({ age: 15, adultAt: new Date(Date.parse('2027-03-01T08:00:00Z') + DAY) });
    expect(p.queue('SSP')).toEqual(['ssp-home-visit']);
    expect(p.queue('POLICE_DKS')).toEqual(['dks-home-visit']);
    p.complete('eas-registration');
    p.complete('dks-home-visit');
    // Claimed by someone at SSP: the person it was claimed by works elsewhere after the handover.
    p.claim(p.task('ssp-home-visit').id, 'SSP', 'ssp-worker');

    p.advance(DAY - 1);
    expect(p.queue('CFR')).toEqual([]);
    p.advance(1);
    expect(p.queue('SSP')).toEqual([]);
    expect(p.queue('CFR')).toEqual(['ssp-home-visit']);
    const moved = p.task('ssp-home-visit');
    expect(moved).toMatchObject({ agency: 'CFR', status: 'OPEN' });
    expect(moved.assignee).toBeUndefined();
    expect(p.timeline().filter((e) => e.kind === 'TASK_HANDED_OVER')).toEqual([
      expect.objectContaining({
        agency: 'CFR',
        detail: { key: 'ssp-home-visit', from: 'SSP', to: 'CFR', because: 'AGE_18' },
      }),
    ]);
    // CFR hears of the work it now holds, as with any task that lands in its queue.
    expect(p.notifications().filter((n) => n.endsWith('TASK_ASSIGNED'))).toEqual(
      expect.arrayContaining(['SSP:TASK_ASSIGNED', 'CFR:TASK_ASSIGNED']),
    );

    p.complete('ssp-home-visit');
    expect(p.status().stage).toBe('ASSESSMENT');
    p.complete('joint-assessment');
    expect(p.event({ type: 'ASSESSED', track: 'PREVENTION', reasons: 'Begyndende tilknytning' }).stage).toBe(
      'INTERVENTION',
    );
    // Now an adult: the 18+ centre, not the school and club programme.
    expect(p.queue('CFR')).toEqual(['cfr-youth-centre']);
    expect(p.queue('SSP')).toEqual([]);
  });

  it('happens on the 18th birthday (midnight, Copenhagen) when no drill sets the moment', () => {
    const p = new TestPathway({ age: 17, start: '2027-03-01T08:00:00Z' });
    // Born 2010-03-01: adult from 2028-03-01 00:00 Copenhagen time (23:00 UTC the day before).
    p.advanceTo(new Date('2028-02-29T22:59:59.999Z'));
    expect(p.latest('ssp-home-visit').agency).toBe('SSP');
    p.advanceTo(new Date('2028-02-29T23:00:00Z'));
    expect(p.latest('ssp-home-visit').agency).toBe('CFR');
    expect(p.latest('dks-home-visit').agency).toBe('POLICE_LOCAL');
  });

  it('work planned after the handover for an under-age agency goes straight to the adult agency', () => {
    const p = new TestPathway({ age: 17, adultAt: new Date(Date.parse('2027-03-01T08:00:00Z') + 1000) });
    p.advance(1000);
    p.complete('eas-registration');
    p.complete('ssp-home-visit');
    p.complete('dks-home-visit');
    p.complete('joint-assessment');
    // The playbook plans OUTREACH work for the local police; handover maps only SSP and POLICE_DKS.
    p.event({ type: 'ASSESSED', track: 'OUTREACH', reasons: 'Opsøgende' });
    expect(p.queue('CFR')).toEqual(['cfr-outreach', 'cfr-youth-centre']);
  });

  it('an adult living with parents keeps the SSP parent work the playbook gives adults; the birthday moves nothing', () => {
    const p = new TestPathway({ age: 20, livesWithParents: true });
    expect(
      p
        .status()
        .tasks.map((t) => [t.key, t.agency])
        .sort(),
    ).toEqual([
      ['eas-registration', 'POLICE_EAS'],
      ['parent-involvement', 'SSP'],
    ]);
    // The birthday is long past: the handover timer fires at the first wake-up.
    p.advance(1000);
    expect(p.machine.state.handedOver).toBe(true);
    expect(p.queue('SSP')).toEqual(['parent-involvement']);
    expect(p.queue('CFR')).toEqual([]);
    expect(p.timeline().filter((e) => e.kind === 'TASK_HANDED_OVER')).toEqual([]);
  });

  it('before patch age-handover-keeps-adult-work, the handover moved adult work too (replayed histories)', () => {
    const p = new TestPathway({ age: 20, livesWithParents: true, unpatched: ['age-handover-keeps-adult-work'] });
    p.advance(1000);
    expect(p.queue('CFR')).toEqual(['parent-involvement']);
  });
});

describe('custody, release and reintegration', () => {
  it('exit with consent → arrest → remand → sentence → release planning → release → placement → follow-ups → completed', () => {
    const p = new TestPathway({ age: 22 });
    p.complete('eas-registration');
    p.complete('joint-assessment');
    let status = p.event({ type: 'ASSESSED', track: 'EXIT_KK', reasons: 'Ønsker at komme ud' });
    expect(status.stage).toBe('INTERVENTION');
    // Exit work waits for consent: not in any queue, but on the timeline.
    expect(p.queue('EKI')).toEqual([]);
    expect(status.waitingTasks.map((w) => [w.key, w.requires])).toEqual([
      ['eki-exit-intake', ['consent']],
      ['eki-mentor', ['consent']],
      ['jobcenter-exit-plan', ['consent']],
    ]);
    expect(p.timeline().filter((e) => e.kind === 'TASK_WAITING')).toHaveLength(3);
    p.event({ type: 'CONSENT_GIVEN' });
    expect(p.queue('EKI')).toEqual(['eki-exit-intake', 'eki-mentor']);
    expect(p.queue('JOBCENTER')).toEqual(['jobcenter-exit-plan']);

    expect(p.event({ type: 'ARRESTED' }, 'POLICE_LOCAL').stage).toBe('CUSTODY');
    expect(p.queue('TIDLIG')).toEqual(['tidlig-plan']);
    expect(p.event({ type: 'REMANDED' }, 'POLICE_LOCAL').stage).toBe('CUSTODY');

    const release = new Date(p.now.getTime() + 200 * DAY);
    status = p.event({ type: 'SENTENCED', expectedReleaseDate: release.toISOString() });
    expect(status.stage).toBe('CUSTODY');
    expect(status.expectedReleaseAt).toBe(release.toISOString());
    // Release planning starts by timer 84 days before the release date.
    const planning = addCalendarDays(release, -84);
    p.advanceTo(new Date(planning.getTime() - 1));
    expect(p.status().stage).toBe('CUSTODY');
    p.advanceTo(planning);
    expect(p.status().stage).toBe('RELEASE_PLANNING');
    expect(p.task('release-income').dueAt).toBe(addCalendarDays(release, -14).toISOString());
    expect(p.queue('KRIMINALFORSORGEN')).toEqual(['release-coordination']);

    expect(p.event({ type: 'RELEASED' }, 'KRIMINALFORSORGEN').stage).toBe('REINTEGRATION');
    expect(p.status().expectedReleaseAt).toBeUndefined();
    expect(p.queue('JOBCENTER')).toContain('jobcenter-placement');
    expect(p.event({ type: 'PLACED', kind: 'EDUCATION' }, 'JOBCENTER').stage).toBe('PLACEMENT');
    status = p.complete('placement-confirmed');
    expect(status.stage).toBe('FOLLOW_UP');
    expect(status.waitingTasks.map((w) => w.key)).toEqual(['follow-up-3m', 'follow-up-6m', 'follow-up-12m']);
    // Follow-ups appear in EKI's queue at their times (calendar days, across summer time), one after another.
    const followUp = p.now;
    p.advanceTo(addCalendarDays(followUp, 91));
    expect(p.queue('EKI')).toContain('follow-up-3m');
    expect(p.queue('EKI')).not.toContain('follow-up-6m');
    p.advanceTo(addCalendarDays(followUp, 182));
    expect(p.queue('EKI')).toContain('follow-up-6m');
    expect(p.queue('EKI')).not.toContain('follow-up-12m');
    p.advanceTo(addCalendarDays(followUp, 365));
    expect(p.queue('EKI')).toContain('follow-up-12m');

    status = p.close('COMPLETED');
    expect(status.stage).toBe('CLOSED');
    expect(p.machine.closed).toBe(true);
    expect(p.queue('EKI')).toEqual([]);
    const cancelled = status.tasks.filter((t) => t.status === 'CANCELLED');
    expect(cancelled.length).toBeGreaterThan(0);
    expect(cancelled.every((t) => t.cancelReason === 'pathway closed: COMPLETED')).toBe(true);
    expect(stages(p)).toEqual([
      'ASSESSMENT',
      'INTERVENTION',
      'CUSTODY',
      'RELEASE_PLANNING',
      'REINTEGRATION',
      'PLACEMENT',
      'FOLLOW_UP',
    ]);
    // The last batch tells the read model the pathway closed, and how.
    expect(p.batches[p.batches.length - 1]).toMatchObject({ closingOutcome: 'COMPLETED', stage: 'CLOSED' });
    // Closed: nothing left to wake up for but the end of the reopen window, when the workflow ends.
    expect(p.machine.nextWakeUp()).toBe(p.now.getTime() + 30 * DAY);
    expect(p.machine.finished).toBe(false);
    p.advanceDays(30);
    expect(p.machine.finished).toBe(true);
  });

  it('re-arrest during reintegration goes back to custody and keeps the whole history', () => {
    const p = new TestPathway({ age: 24 });
    p.event({ type: 'SENTENCED', expectedReleaseDate: new Date(p.now.getTime() + 200 * DAY).toISOString() });
    p.complete('custody-motivation-talk');
    p.event({ type: 'RELEASED' });
    expect(p.queue('EKI')).toContain('reintegration-meeting');
    expect(p.event({ type: 'ARRESTED' }, 'POLICE_LOCAL').stage).toBe('CUSTODY');
    // The reintegration work is not thrown away; a new custody stay brings a new motivational conversation.
    expect(p.queue('EKI')).toEqual(['custody-motivation-talk', 'reintegration-meeting']);
    // The education plan from the first stay is still open: it covers the second, no duplicate.
    expect(p.queue('TIDLIG')).toEqual(['tidlig-plan']);
    expect(stages(p)).toEqual(['CUSTODY', 'REINTEGRATION', 'CUSTODY']);
  });

  it('before patch skip-planned-tasks-already-open, a re-arrest planned the open work again (replayed histories)', () => {
    const p = new TestPathway({ age: 24, unpatched: ['skip-planned-tasks-already-open'] });
    p.event({ type: 'SENTENCED', expectedReleaseDate: new Date(p.now.getTime() + 200 * DAY).toISOString() });
    p.event({ type: 'RELEASED' });
    p.event({ type: 'ARRESTED' });
    expect(p.queue('TIDLIG')).toEqual(['tidlig-plan', 'tidlig-plan']);
  });

  it('an arrest while already in custody or release planning changes nothing', () => {
    const p = new TestPathway({ age: 24 });
    p.event({ type: 'ARRESTED' });
    const version = p.status().version;
    p.event({ type: 'REMANDED' });
    expect(stages(p)).toEqual(['CUSTODY']);
    // Only the event itself is recorded.
    expect(p.status().version).toBe(version + 1);
  });

  it('dropping out of a placement returns to reintegration with new placement work', () => {
    const p = new TestPathway({ age: 23 });
    p.event({ type: 'SENTENCED', expectedReleaseDate: new Date(p.now.getTime() + 200 * DAY).toISOString() });
    p.event({ type: 'RELEASED' });
    p.complete('jobcenter-placement');
    expect(p.event({ type: 'PLACED', kind: 'INTERNSHIP' }).stage).toBe('PLACEMENT');
    expect(p.machine.state.placement).toEqual({ kind: 'INTERNSHIP', at: p.now.toISOString() });
    expect(p.event({ type: 'DROPPED_OUT' }, 'JOBCENTER').stage).toBe('REINTEGRATION');
    expect(p.machine.state.placement).toBeUndefined();
    // The placement work starts over; the open confirmation of the lost placement stays until someone closes it.
    expect(p.queue('JOBCENTER')).toEqual(['jobcenter-placement', 'placement-confirmed']);
    expect(stages(p)).toEqual(['CUSTODY', 'REINTEGRATION', 'PLACEMENT', 'REINTEGRATION']);
  });
});

describe('release dates', () => {
  it('a release date moved later and earlier moves every deadline that hangs on it', () => {
    const p = new TestPathway({ age: 30 });
    // Less than the 84-day lead is left: planning starts at the next wake-up.
    p.event({ type: 'SENTENCED', expectedReleaseDate: new Date(p.now.getTime() + 60 * DAY).toISOString() });
    expect(p.status().stage).toBe('CUSTODY');
    p.advance(1);
    expect(p.status().stage).toBe('RELEASE_PLANNING');
    const later = new Date(p.now.getTime() + 300 * DAY);
    p.event({ type: 'RELEASE_DATE_CHANGED', expectedReleaseDate: later.toISOString() });
    expect(p.task('release-income').dueAt).toBe(addCalendarDays(later, -14).toISOString());
    expect(p.task('release-caseworker').dueAt).toBe(addCalendarDays(later, -70).toISOString());
    const earlier = new Date(p.now.getTime() + 200 * DAY);
    p.event({ type: 'RELEASE_DATE_CHANGED', expectedReleaseDate: earlier.toISOString() });
    expect(p.task('release-income').dueAt).toBe(addCalendarDays(earlier, -14).toISOString());
    const moved = p.timeline().filter((e) => e.kind === 'DEADLINE_MOVED' && e.detail.key === 'release-income');
    expect(moved).toHaveLength(2);
    expect(moved[1].detail).toMatchObject({
      to: addCalendarDays(earlier, -14).toISOString(),
      because: 'RELEASE_DATE_CHANGED',
    });
    // A SENTENCED in release planning moves them too.
    const third = new Date(p.now.getTime() + 250 * DAY);
    p.event({ type: 'SENTENCED', expectedReleaseDate: third.toISOString() });
    expect(p.status().stage).toBe('RELEASE_PLANNING');
    expect(p.task('release-income').dueAt).toBe(addCalendarDays(third, -14).toISOString());
  });

  it('a date moved while still in custody only moves when planning starts', () => {
    const p = new TestPathway({ age: 30 });
    p.event({ type: 'SENTENCED', expectedReleaseDate: new Date(p.now.getTime() + 300 * DAY).toISOString() });
    p.advance(DAY);
    expect(p.status().stage).toBe('CUSTODY');
    const sooner = new Date(p.now.getTime() + 90 * DAY);
    p.event({ type: 'RELEASE_DATE_CHANGED', expectedReleaseDate: sooner.toISOString() });
    p.advanceTo(new Date(addCalendarDays(sooner, -84).getTime() - 1));
    expect(p.status().stage).toBe('CUSTODY');
    p.advance(1);
    expect(p.status().stage).toBe('RELEASE_PLANNING');
  });

  it('a release date moved later clears an overdue deadline that hung on it and answers its escalation', () => {
    const p = new TestPathway({ age: 30 });
    p.event({ type: 'SENTENCED', expectedReleaseDate: new Date(p.now.getTime() + 10 * DAY).toISOString() });
    // Planning starts at once; the income task is due 14 days before a release 10 days off: at once, and late.
    p.advance(1);
    const income = p.task('release-income');
    expect(income).toMatchObject({ overdue: true, escalationLevel: 1 });
    const later = new Date(p.now.getTime() + 300 * DAY);
    const status = p.event({ type: 'RELEASE_DATE_CHANGED', expectedReleaseDate: later.toISOString() });
    expect(status.tasks.find((t) => t.id === income.id)).toMatchObject({
      dueAt: addCalendarDays(later, -14).toISOString(),
      overdue: false,
      escalationLevel: 0,
    });
    expect(status.escalations.filter((e) => e.taskId === income.id)).toEqual([
      expect.objectContaining({ status: 'RESOLVED', decision: 'EXTEND', note: 'the release date moved' }),
    ]);
    expect(p.machine.searchAttributes().overdue).toBe(false);
  });

  it('before patch release-move-restarts-ladder, a moved deadline stayed overdue (replayed histories)', () => {
    const p = new TestPathway({ age: 30, unpatched: ['release-move-restarts-ladder'] });
    p.event({ type: 'SENTENCED', expectedReleaseDate: new Date(p.now.getTime() + 10 * DAY).toISOString() });
    p.advance(1);
    p.event({ type: 'RELEASE_DATE_CHANGED', expectedReleaseDate: new Date(p.now.getTime() + 300 * DAY).toISOString() });
    expect(p.task('release-income')).toMatchObject({ overdue: true, escalationLevel: 1 });
  });

  it('a release date more than a day in the past is refused; one earlier today is not', () => {
    const p = new TestPathway({ age: 30 });
    expect(() =>
      p.event({ type: 'SENTENCED', expectedReleaseDate: new Date(p.now.getTime() - 2 * DAY).toISOString() }),
    ).toThrow(
      expect.objectContaining({
        type: 'InvalidInput',
        refusal: expect.objectContaining({ field: 'data.expectedReleaseDate' }),
      }),
    );
    expect(p.status().stage).toBe('CONTACT');
    expect(p.event({ type: 'SENTENCED', expectedReleaseDate: '2027-03-01' }).stage).toBe('CUSTODY');
  });

  it('RELEASE_DATE_CHANGED needs a release date to change (or custody)', () => {
    const p = new TestPathway({ age: 30 });
    const change = () =>
      p.event({ type: 'RELEASE_DATE_CHANGED', expectedReleaseDate: new Date(p.now.getTime() + DAY).toISOString() });
    expect(change).toThrow(Refused);
    expect(change).toThrow('RELEASE_DATE_CHANGED does not fit stage CONTACT');
    p.event({ type: 'ARRESTED' });
    expect(change().expectedReleaseAt).toBeDefined();
  });
});

describe('consent and motivation', () => {
  it('consent withdrawn cancels the exit work with that reason; other work stays', () => {
    const p = new TestPathway({ age: 19 });
    p.complete('eas-registration');
    p.complete('joint-assessment');
    p.event({ type: 'ASSESSED', track: 'EXIT_KK', reasons: 'Motiveret' });
    p.event({ type: 'CONSENT_GIVEN' });
    expect(p.queue('EKI')).toEqual(['eki-exit-intake', 'eki-mentor']);
    const status = p.event({ type: 'CONSENT_WITHDRAWN' });
    expect(p.queue('EKI')).toEqual([]);
    expect(p.queue('JOBCENTER')).toEqual([]);
    expect(status.tasks.filter((t) => t.status === 'CANCELLED').map((t) => [t.key, t.cancelReason])).toEqual([
      ['eki-exit-intake', 'consent withdrawn'],
      ['eki-mentor', 'consent withdrawn'],
      ['jobcenter-exit-plan', 'consent withdrawn'],
    ]);
    expect(status.stage).toBe('INTERVENTION');
  });

  it('work that waits for consent and a start time stays waiting past the start time, and comes with the consent', () => {
    const delayed = structuredClone(V1) as Playbook;
    delayed.stages.INTERVENTION!.tasks.find((t) => t.key === 'eki-exit-intake')!.startAfter = {
      kind: 'calendarDays',
      days: 1,
    };
    const p = new TestPathway({ age: 19, playbook: delayed });
    p.complete('eas-registration');
    p.complete('joint-assessment');
    p.event({ type: 'ASSESSED', track: 'EXIT_KK', reasons: 'Motiveret' });
    p.advance(3 * DAY);
    expect(p.status().waitingTasks.map((w) => w.key)).toContain('eki-exit-intake');
    expect(p.queue('EKI')).toEqual([]);
    // The start time is past, yet it does not wake the loop (it would, again and again, forever).
    const wake = p.machine.nextWakeUp();
    expect(wake === undefined || wake > p.now.getTime()).toBe(true);
    p.event({ type: 'CONSENT_GIVEN' });
    expect(p.queue('EKI')).toEqual(['eki-exit-intake', 'eki-mentor']);
  });

  it('before patch wake-only-for-ready-waiting-work, a past start time kept waking the loop (replayed histories)', () => {
    const delayed = structuredClone(V1) as Playbook;
    delayed.stages.INTERVENTION!.tasks.find((t) => t.key === 'eki-exit-intake')!.startAfter = {
      kind: 'calendarDays',
      days: 1,
    };
    const p = new TestPathway({ age: 19, playbook: delayed, unpatched: ['wake-only-for-ready-waiting-work'] });
    p.complete('eas-registration');
    p.complete('joint-assessment');
    p.event({ type: 'ASSESSED', track: 'EXIT_KK', reasons: 'Motiveret' });
    p.jumpTo(new Date(p.now.getTime() + 3 * DAY));
    expect(p.machine.nextWakeUp()).toBeLessThanOrEqual(p.now.getTime());
  });

  it('the national programme needs consent and assessed motivation; motivation assessed absent cancels that work', () => {
    const p = new TestPathway({ age: 21 });
    p.complete('eas-registration');
    p.complete('joint-assessment');
    p.event({ type: 'ASSESSED', track: 'EXIT_NATIONAL', reasons: 'Fælles vurdering' });
    p.event({ type: 'CONSENT_GIVEN' });
    expect(p.queue('POLICE_EXIT')).toEqual([]);
    expect(p.status().waitingTasks).toEqual([
      expect.objectContaining({ key: 'police-exit-intake', requires: ['motivation'] }),
    ]);
    p.event({ type: 'MOTIVATION_ASSESSED', motivated: true });
    expect(p.queue('POLICE_EXIT')).toEqual(['police-exit-intake']);
    const status = p.event({ type: 'MOTIVATION_ASSESSED', motivated: false });
    expect(status.tasks.find((t) => t.key === 'police-exit-intake')).toMatchObject({
      status: 'CANCELLED',
      cancelReason: 'the national Exit programme does not go ahead now',
    });
    expect(p.queue('EKI')).toEqual(['eki-mentor']);
  });
});

describe('tracks and reassessment', () => {
  it.each<[string, Record<string, string[]>]>([
    ['EXIT_NATIONAL', { POLICE_EXIT: ['police-exit-intake'], EKI: ['eki-mentor'], JOBCENTER: ['jobcenter-exit-plan'] }],
    ['OUTREACH', { CFR: ['cfr-outreach', 'cfr-youth-centre'], POLICE_LOCAL: ['local-police-contact'] }],
    ['NO_ACTION', { CFR: [], EKI: [], POLICE_OC: [] }],
  ])('track %s puts its work in the right queues', (track, queues) => {
    const p = new TestPathway({ age: 21 });
    p.complete('eas-registration');
    p.complete('joint-assessment');
    expect(p.event({ type: 'ASSESSED', track: track as never, reasons: 'Fælles vurdering' }).stage).toBe(
      'INTERVENTION',
    );
    if (track === 'EXIT_NATIONAL') {
      p.event({ type: 'CONSENT_GIVEN' });
      p.event({ type: 'MOTIVATION_ASSESSED', motivated: true });
    }
    for (const [agency, keys] of Object.entries(queues)) expect(p.queue(agency)).toEqual([...keys].sort());
    // Which track someone is on is not a search attribute (issue 13): lists filter on the read model.
    expect(p.machine.searchAttributes()).toEqual({
      stage: 'INTERVENTION',
      district: 'YDRE_NORREBRO',
      overdue: false,
      stalled: false,
      hidden: true,
    });
  });

  it('search attributes: stage, district, overdue and stalled only; a run from before the patch keeps track and agencies', () => {
    const run = (unpatched: string[]) => {
      const p = new TestPathway({ age: 21, unpatched });
      p.complete('eas-registration');
      p.complete('joint-assessment');
      p.event({ type: 'ASSESSED', track: 'PREVENTION', reasons: 'Fælles vurdering' });
      return p.machine.searchAttributes();
    };
    const now = run([]);
    expect(Object.keys(now).sort()).toEqual(['district', 'hidden', 'overdue', 'stage', 'stalled']);
    expect(JSON.stringify(now)).not.toMatch(/PREVENTION|POLICE|SSP/);
    const old = run(['search-attributes-without-track']);
    expect(old).toMatchObject({ track: 'PREVENTION', agencies: expect.arrayContaining([expect.any(String)]) });
    expect(old.hidden).toBeUndefined();
  });

  it('a track change cancels intervention work with a reason that does not name the new track', () => {
    const p = new TestPathway({ age: 21 });
    p.complete('eas-registration');
    p.complete('joint-assessment');
    p.event({ type: 'ASSESSED', track: 'OUTREACH', reasons: 'Opsøgende' });
    const status = p.event({ type: 'ASSESSED', track: 'NO_ACTION', reasons: 'Ingen indsats' });
    expect(status.tasks.filter((t) => t.status === 'CANCELLED').map((t) => [t.key, t.cancelReason])).toEqual([
      ['cfr-youth-centre', 'reassessed: the pathway is on another track'],
      ['cfr-outreach', 'reassessed: the pathway is on another track'],
      ['local-police-contact', 'reassessed: the pathway is on another track'],
    ]);
    expect(stages(p)).toEqual(['ASSESSMENT', 'INTERVENTION', 'INTERVENTION']);
  });

  it('the same track assessed again changes nothing but the record', () => {
    const p = new TestPathway({ age: 21 });
    p.complete('eas-registration');
    p.complete('joint-assessment');
    p.event({ type: 'ASSESSED', track: 'OUTREACH', reasons: 'Opsøgende' });
    p.event({ type: 'ASSESSED', track: 'OUTREACH', reasons: 'Stadig' });
    expect(stages(p)).toEqual(['ASSESSMENT', 'INTERVENTION']);
    expect(p.status().tasks.every((t) => t.status !== 'CANCELLED')).toBe(true);
  });

  it('a move changes the district (search attribute and read model), nothing else', () => {
    const p = new TestPathway({ age: 21 });
    const status = p.event({ type: 'MOVED', district: 'TINGBJERG' });
    expect(status.district).toBe('TINGBJERG');
    expect(p.machine.searchAttributes().district).toBe('TINGBJERG');
    expect(p.batches[p.batches.length - 1]).toMatchObject({ district: 'TINGBJERG' });
  });
});

describe('the read-model batch', () => {
  it('the first batch carries the person and contact; later ones only what changed', () => {
    const p = new TestPathway({ age: 21 });
    const [first] = p.batches;
    expect(first).toMatchObject({ pathwayId: 'p-1', workflowId: 'pathway-p-1', stage: 'CONTACT', version: 2 });
    expect(first!.person).toMatchObject({ district: 'YDRE_NORREBRO' });
    expect(first!.contact).toMatchObject({ sourceAgency: 'POLICE_LOCAL' });
    expect(first!.timeline.map((e) => e.kind)).toEqual(['PATHWAY_OPENED', 'TASK_CREATED']);
    p.complete('eas-registration');
    const second = p.batches[1]!;
    expect(second.person).toBeUndefined();
    expect(second.tasks.map((t) => t.key)).toEqual(['eas-registration', 'joint-assessment']);
    // Nothing pending: no batch.
    expect(p.machine.takeBatch('pathway-p-1')).toBeUndefined();
    // One timeline, numbered without gaps.
    expect(p.timeline().map((e) => e.sequence)).toEqual(p.timeline().map((_, i) => i + 1));
    expect(p.timeline().every((e) => e.id.startsWith('p-1:'))).toBe(true);
  });

  it('continues from a carried-over state: same status, numbering goes on, older states get the newer fields', () => {
    const p = new TestPathway({ age: 16 });
    p.complete('eas-registration');
    p.event({ type: 'MOVED', district: 'TINGBJERG' });
    const carried = { ...structuredClone(p.machine.state), runs: 1 };
    // A state written by older code lacks the escalation fields.
    const old = carried as Partial<typeof carried>;
    delete old.escalations;
    delete old.pendingEscalationIds;
    const next = new TestPathway({ age: 16 }, carried);
    expect(next.status()).toEqual({ ...p.status(), runs: 1 });
    expect(next.batches).toEqual([]);
    next.complete('ssp-home-visit');
    const sequences = next.timeline().map((e) => e.sequence);
    expect(sequences[0]).toBe(p.machine.state.timelineSequence + 1);
    expect(next.status().escalations).toEqual([]);
  });
});

describe('facts that may not repeat (issue 14)', () => {
  const DAY = 86400_000;
  const later = (p: TestPathway, days: number) => new Date(p.now.getTime() + days * DAY).toISOString().slice(0, 10);

  it('consent given while it stands is refused; after a withdrawal it may be given again', () => {
    const p = new TestPathway({ age: 20 });
    p.event({ type: 'CONSENT_GIVEN' });
    expect(() => p.event({ type: 'CONSENT_GIVEN' })).toThrow(
      'consent is already given; record CONSENT_WITHDRAWN first',
    );
    p.event({ type: 'CONSENT_WITHDRAWN' });
    expect(p.event({ type: 'CONSENT_GIVEN' }).consent).toBe(true);
  });

  it('a SENTENCED with the dates already recorded is refused; other dates are a new sentence', () => {
    const p = new TestPathway({ age: 30 });
    const sentence = { earliestParoleDate: later(p, 200), fullTermDate: later(p, 300) };
    p.event({ type: 'SENTENCED', ...sentence });
    expect(() => p.event({ type: 'SENTENCED', ...sentence })).toThrow(
      'this sentence is already recorded (the same dates)',
    );
    expect(p.event({ type: 'SENTENCED', ...sentence, fullTermDate: later(p, 330) }).stage).toBe('CUSTODY');
    const release = { expectedReleaseDate: later(p, 120) };
    const q = new TestPathway({ age: 30 });
    q.event({ type: 'SENTENCED', ...release });
    expect(() => q.event({ type: 'SENTENCED', ...release })).toThrow(Refused);
    expect(q.event({ type: 'SENTENCED', expectedReleaseDate: later(q, 150) }).expectedReleaseAt).toContain(
      later(q, 150),
    );
  });

  it('the handler asks the patch only for a repeat; a history from before it applies the repeat as it ran', () => {
    const p = new TestPathway({ age: 20 });
    p.event({ type: 'CONSENT_GIVEN' });
    expect(p.patchesAsked).not.toContain('refuse-repeated-facts');
    const event = { occurredAt: p.now.toISOString(), recordedBy: 'OPERATIVE_GROUP', data: { type: 'CONSENT_GIVEN' } };
    const handler = { checkReleaseInPast: false, checkAge: false, checkRepeats: 'patched' } as const;
    expect(p.machine.refuseRecordEvent(event as never, handler)?.message).toBe(
      'consent is already given; record CONSENT_WITHDRAWN first',
    );
    expect(p.patchesAsked).toContain('refuse-repeated-facts');
    const old = new TestPathway({ age: 20, unpatched: ['refuse-repeated-facts'] });
    old.event({ type: 'CONSENT_GIVEN' });
    expect(old.machine.refuseRecordEvent(event as never, handler)).toBeUndefined();
    // The validator refuses regardless: it never runs on replay.
    expect(old.machine.refuseRecordEvent(event as never)?.type).toBe('EventRefused');
  });
});

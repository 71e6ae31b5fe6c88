// Whole pathways, one per track and turn of events, with the playbook's spans in seconds. Each step asserts
// what the agencies' queues show (over HTTP) and what the timeline says.
import { drillPlaybook, eventually, publish, queueKeys, startDrill } from '../support/drill';
import { http, pathwayRequest, startStack, type TestStack } from '../support/stack';

const playbook = drillPlaybook(1001);

describe('pathways end to end', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack();
    await publish(stack, playbook);
  });
  afterAll(async () => {
    await stack.stop();
  });

  const timeline = async (id: string) =>
    (await http(stack, 'GET', `/pathways/${id}`, undefined, { 'x-agency': 'POLICE_EAS' })).body.timeline as any[];

  it('a 15-year-old in prevention turns 18: open SSP and DKS work moves to CFR and the local police', async () => {
    const drill = await startDrill(stack, { age: 15, playbook, adultAt: new Date(Date.now() + 6000) });
    expect(await queueKeys(stack, 'SSP', drill.id)).toEqual(['ssp-home-visit']);
    expect(await queueKeys(stack, 'POLICE_DKS', drill.id)).toEqual(['dks-home-visit']);
    await drill.complete('eas-registration');
    await drill.complete('dks-home-visit');

    // The birthday passes while the SSP home visit is still open.
    await eventually(
      () => queueKeys(stack, 'CFR', drill.id),
      (keys) => keys.includes('ssp-home-visit'),
    );
    expect(await queueKeys(stack, 'SSP', drill.id)).toEqual([]);
    expect((await timeline(drill.id)).filter((e) => e.kind === 'TASK_HANDED_OVER')).toEqual([
      expect.objectContaining({
        agency: 'CFR',
        detail: { key: 'ssp-home-visit', from: 'SSP', to: 'CFR', because: 'AGE_18' },
      }),
    ]);
    // CFR hears of the work it now holds, as with any task that lands in its queue.
    const handedOver = (await drill.status()).tasks.find((t) => t.key === 'ssp-home-visit')!;
    const told = await stack.db.query(
      `SELECT agency_code AS agency, kind FROM notifications WHERE task_id = $1 ORDER BY agency_code`,
      [handedOver.id],
    );
    expect(told).toEqual([
      { agency: 'CFR', kind: 'TASK_ASSIGNED' },
      { agency: 'SSP', kind: 'TASK_ASSIGNED' },
    ]);

    await drill.complete('ssp-home-visit');
    expect((await drill.status()).stage).toBe('ASSESSMENT');
    await drill.complete('joint-assessment');
    const status = await drill.event({
      type: 'ASSESSED',
      track: 'PREVENTION',
      reasons: 'Ung med begyndende tilknytning',
    });
    expect(status.stage).toBe('INTERVENTION');
    // Now an adult: the 18+ centre, not the school and club programme.
    expect(await queueKeys(stack, 'CFR', drill.id)).toEqual(['cfr-youth-centre']);
    expect(await queueKeys(stack, 'SSP', drill.id)).toEqual([]);
  });

  it('an adult living with parents keeps the SSP parent work the playbook gives adults; the birthday moves nothing', async () => {
    const body = pathwayRequest({ age: 20 });
    (body.person as { livesWithParents?: boolean }).livesWithParents = true;
    const created = await http(stack, 'POST', '/pathways', body);
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(created.body.tasks.map((t: any) => [t.key, t.agency]).sort()).toEqual([
      ['eas-registration', 'POLICE_EAS'],
      ['parent-involvement', 'SSP'],
    ]);
    // Long enough for the birthday timer, already past, to have fired.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await queueKeys(stack, 'SSP', id)).toEqual(['parent-involvement']);
    expect(await queueKeys(stack, 'CFR', id)).toEqual([]);
    expect((await timeline(id)).filter((e) => e.kind === 'TASK_HANDED_OVER')).toEqual([]);
  });

  it('exit with consent → arrest → remand → sentence → release planning → release → placement → follow-ups → completed', async () => {
    const drill = await startDrill(stack, { age: 22, playbook });
    await drill.complete('eas-registration');
    await drill.complete('joint-assessment');
    let status = await drill.event({ type: 'ASSESSED', track: 'EXIT_KK', reasons: 'Ønsker at komme ud' });
    expect(status.stage).toBe('INTERVENTION');
    // Exit work waits for consent: not in any queue, but on the timeline.
    expect(await queueKeys(stack, 'EKI', drill.id)).toEqual([]);
    expect(status.waitingTasks.map((w) => [w.key, w.requires])).toEqual([
      ['eki-exit-intake', ['consent']],
      ['eki-mentor', ['consent']],
      ['jobcenter-exit-plan', ['consent']],
    ]);
    expect((await timeline(drill.id)).filter((e) => e.kind === 'TASK_WAITING')).toHaveLength(3);
    await drill.event({ type: 'CONSENT_GIVEN' });
    expect((await queueKeys(stack, 'EKI', drill.id)).sort()).toEqual(['eki-exit-intake', 'eki-mentor']);
    expect(await queueKeys(stack, 'JOBCENTER', drill.id)).toEqual(['jobcenter-exit-plan']);

    status = await drill.event({ type: 'ARRESTED' }, 'POLICE_LOCAL');
    expect(status.stage).toBe('CUSTODY');
    expect(await queueKeys(stack, 'TIDLIG', drill.id)).toEqual(['tidlig-plan']);
    status = await drill.event({ type: 'REMANDED' }, 'POLICE_LOCAL');
    expect(status.stage).toBe('CUSTODY');

    const release = new Date(Date.now() + 9000);
    status = await drill.event({ type: 'SENTENCED', expectedReleaseDate: release.toISOString() });
    expect(status.stage).toBe('CUSTODY');
    expect(status.expectedReleaseAt).toBe(release.toISOString());
    // Release planning starts by timer 5 s before the release date.
    const planning = await eventually(
      () => http(stack, 'GET', `/pathways/${drill.id}`, undefined, { 'x-agency': 'POLICE_EAS' }),
      (res) => res.body.stage === 'RELEASE_PLANNING',
    );
    expect(Date.now()).toBeGreaterThanOrEqual(release.getTime() - 5000 - 1000);
    const jobcenter = planning.body.tasks.find((t: any) => t.key === 'release-income');
    // 14 days before release in the playbook: 1 s before in the drill.
    expect(jobcenter.dueAt).toBe(new Date(release.getTime() - 1000).toISOString());
    expect(await queueKeys(stack, 'KRIMINALFORSORGEN', drill.id)).toEqual(['release-coordination']);

    status = await drill.event({ type: 'RELEASED' }, 'KRIMINALFORSORGEN');
    expect(status.stage).toBe('REINTEGRATION');
    expect(await queueKeys(stack, 'JOBCENTER', drill.id)).toContain('jobcenter-placement');
    status = await drill.event({ type: 'PLACED', kind: 'EDUCATION' }, 'JOBCENTER');
    expect(status.stage).toBe('PLACEMENT');
    status = await drill.complete('placement-confirmed');
    expect(status.stage).toBe('FOLLOW_UP');
    expect(status.waitingTasks.map((w) => w.key)).toEqual(['follow-up-3m', 'follow-up-6m', 'follow-up-12m']);
    // Follow-ups appear in EKI's queue at their times, one after another.
    await eventually(
      () => queueKeys(stack, 'EKI', drill.id),
      (keys) => keys.includes('follow-up-3m'),
    );
    expect(await queueKeys(stack, 'EKI', drill.id)).not.toContain('follow-up-12m');
    await eventually(
      () => queueKeys(stack, 'EKI', drill.id),
      (keys) => keys.includes('follow-up-12m'),
      15000,
    );

    status = await drill.event({ type: 'CLOSED', outcome: 'COMPLETED' });
    expect(status.stage).toBe('CLOSED');
    expect(await queueKeys(stack, 'EKI', drill.id)).toEqual([]);
    const closed = await http(stack, 'GET', `/pathways/${drill.id}`, undefined, { 'x-agency': 'POLICE_EAS' });
    expect(
      closed.body.tasks
        .filter((t: any) => t.status === 'CANCELLED')
        .every((t: any) => t.cancelReason === 'pathway closed: COMPLETED'),
    ).toBe(true);
    const stages = closed.body.timeline.filter((e: any) => e.kind === 'STAGE_CHANGED').map((e: any) => e.detail.to);
    expect(stages).toEqual([
      'ASSESSMENT',
      'INTERVENTION',
      'CUSTODY',
      'RELEASE_PLANNING',
      'REINTEGRATION',
      'PLACEMENT',
      'FOLLOW_UP',
    ]);
    await drill.handle.result();
  });

  it('re-arrest during reintegration goes back to custody and keeps the whole history', async () => {
    const drill = await startDrill(stack, { age: 24, playbook });
    await drill.event({ type: 'SENTENCED', expectedReleaseDate: new Date(Date.now() + 3600_000).toISOString() });
    await drill.complete('custody-motivation-talk');
    await drill.event({ type: 'RELEASED' });
    expect(await queueKeys(stack, 'EKI', drill.id)).toContain('reintegration-meeting');
    const status = await drill.event({ type: 'ARRESTED' }, 'POLICE_LOCAL');
    expect(status.stage).toBe('CUSTODY');
    // The reintegration work is not thrown away; a new custody stay brings a new motivational conversation.
    expect((await queueKeys(stack, 'EKI', drill.id)).sort()).toEqual([
      'custody-motivation-talk',
      'reintegration-meeting',
    ]);
    // The education plan from the first stay is still open: it covers the second, no duplicate.
    expect(await queueKeys(stack, 'TIDLIG', drill.id)).toEqual(['tidlig-plan']);
    const stages = (await timeline(drill.id)).filter((e) => e.kind === 'STAGE_CHANGED').map((e) => e.detail.to);
    expect(stages).toEqual(['CUSTODY', 'REINTEGRATION', 'CUSTODY']);
  });

  it('dropping out of a placement returns to reintegration with new placement work', async () => {
    const drill = await startDrill(stack, { age: 23, playbook });
    await drill.event({ type: 'SENTENCED', expectedReleaseDate: new Date(Date.now() + 3600_000).toISOString() });
    await drill.event({ type: 'RELEASED' });
    await drill.complete('jobcenter-placement');
    expect((await drill.event({ type: 'PLACED', kind: 'INTERNSHIP' })).stage).toBe('PLACEMENT');
    const status = await drill.event({ type: 'DROPPED_OUT' }, 'JOBCENTER');
    expect(status.stage).toBe('REINTEGRATION');
    // The placement work starts over; the open confirmation of the lost placement stays until someone closes it.
    expect((await queueKeys(stack, 'JOBCENTER', drill.id)).sort()).toEqual([
      'jobcenter-placement',
      'placement-confirmed',
    ]);
    const stages = (await timeline(drill.id)).filter((e) => e.kind === 'STAGE_CHANGED').map((e) => e.detail.to);
    expect(stages).toEqual(['CUSTODY', 'REINTEGRATION', 'PLACEMENT', 'REINTEGRATION']);
  });

  it('consent withdrawn cancels the exit work with that reason; other work stays', async () => {
    const drill = await startDrill(stack, { age: 19, playbook });
    await drill.complete('eas-registration');
    await drill.complete('joint-assessment');
    await drill.event({ type: 'ASSESSED', track: 'EXIT_KK', reasons: 'Motiveret' });
    await drill.event({ type: 'CONSENT_GIVEN' });
    expect((await queueKeys(stack, 'EKI', drill.id)).sort()).toEqual(['eki-exit-intake', 'eki-mentor']);
    const status = await drill.event({ type: 'CONSENT_WITHDRAWN' });
    expect(await queueKeys(stack, 'EKI', drill.id)).toEqual([]);
    expect(await queueKeys(stack, 'JOBCENTER', drill.id)).toEqual([]);
    const cancelled = status.tasks.filter((t) => t.status === 'CANCELLED');
    expect(cancelled.map((t) => [t.key, t.cancelReason])).toEqual([
      ['eki-exit-intake', 'consent withdrawn'],
      ['eki-mentor', 'consent withdrawn'],
      ['jobcenter-exit-plan', 'consent withdrawn'],
    ]);
    expect(status.stage).toBe('INTERVENTION');
  });

  it('work that waits for consent and a start time stays waiting past the start time, and comes with the consent', async () => {
    // The intake may start 1 s into the stage, but only with consent: the start time passes first.
    const delayed = drillPlaybook(1003);
    const intake = delayed.stages.INTERVENTION!.tasks.find((t) => t.key === 'eki-exit-intake')!;
    intake.startAfter = { kind: 'duration', seconds: 1 };
    await publish(stack, delayed);
    const drill = await startDrill(stack, { age: 19, playbook: delayed });
    await drill.complete('eas-registration');
    await drill.complete('joint-assessment');
    await drill.event({ type: 'ASSESSED', track: 'EXIT_KK', reasons: 'Motiveret' });
    await new Promise((r) => setTimeout(r, 2500));
    // The pathway still answers and still waits.
    const waiting = await drill.status();
    expect(waiting.waitingTasks.map((w) => w.key)).toContain('eki-exit-intake');
    expect(await queueKeys(stack, 'EKI', drill.id)).toEqual([]);
    await drill.event({ type: 'CONSENT_GIVEN' });
    expect((await queueKeys(stack, 'EKI', drill.id)).sort()).toEqual(['eki-exit-intake', 'eki-mentor']);
  });

  it('a release date moved later and earlier moves every deadline that hangs on it', async () => {
    const drill = await startDrill(stack, { age: 30, playbook });
    const first = new Date(Date.now() + 4000);
    await drill.event({ type: 'SENTENCED', expectedReleaseDate: first.toISOString() });
    // Less than the 5 s lead is left: planning starts at once.
    await eventually(
      () => drill.status(),
      (s) => s.stage === 'RELEASE_PLANNING',
    );
    const dueOf = async (key: string) => {
      const res = await http(stack, 'GET', `/pathways/${drill.id}`, undefined, { 'x-agency': 'POLICE_EAS' });
      return res.body.tasks.find((t: any) => t.key === key).dueAt as string;
    };
    const later = new Date(Date.now() + 3600_000);
    await drill.event({ type: 'RELEASE_DATE_CHANGED', expectedReleaseDate: later.toISOString() });
    expect(await dueOf('release-income')).toBe(new Date(later.getTime() - 1000).toISOString());
    expect(await dueOf('release-caseworker')).toBe(new Date(later.getTime() - 4000).toISOString());
    const earlier = new Date(Date.now() + 1800_000);
    await drill.event({ type: 'RELEASE_DATE_CHANGED', expectedReleaseDate: earlier.toISOString() });
    expect(await dueOf('release-income')).toBe(new Date(earlier.getTime() - 1000).toISOString());
    const moved = (await timeline(drill.id)).filter(
      (e) => e.kind === 'DEADLINE_MOVED' && e.detail.key === 'release-income',
    );
    expect(moved).toHaveLength(2);
    expect(moved[1].detail.to).toBe(new Date(earlier.getTime() - 1000).toISOString());
    // A date moved while still in custody only moves when planning starts.
    const other = await startDrill(stack, { age: 30, playbook });
    await other.event({ type: 'SENTENCED', expectedReleaseDate: new Date(Date.now() + 3600_000).toISOString() });
    await new Promise((r) => setTimeout(r, 1500));
    expect((await other.status()).stage).toBe('CUSTODY');
    await other.event({ type: 'RELEASE_DATE_CHANGED', expectedReleaseDate: new Date(Date.now() + 6000).toISOString() });
    await eventually(
      () => other.status(),
      (s) => s.stage === 'RELEASE_PLANNING',
      10000,
    );
  });

  it('a release date moved later clears an overdue deadline that hung on it and answers its escalation', async () => {
    const drill = await startDrill(stack, { age: 30, playbook });
    await drill.event({ type: 'SENTENCED', expectedReleaseDate: new Date(Date.now() + 3000).toISOString() });
    // Planning starts at once; the income task is due 1 s before the release and is late soon after.
    const late = await eventually(
      () => drill.status(),
      (s) => s.tasks.some((t) => t.key === 'release-income' && t.overdue && t.escalationLevel === 1),
      15000,
    );
    const income = late.tasks.find((t) => t.key === 'release-income')!;
    const later = new Date(Date.now() + 3600_000);
    const status = await drill.event({ type: 'RELEASE_DATE_CHANGED', expectedReleaseDate: later.toISOString() });
    expect(status.tasks.find((t) => t.id === income.id)).toMatchObject({
      dueAt: new Date(later.getTime() - 1000).toISOString(),
      overdue: false,
      escalationLevel: 0,
    });
    const escalations = await stack.db.query(`SELECT status, decision FROM escalations WHERE task_id = $1`, [
      income.id,
    ]);
    expect(escalations).toEqual([{ status: 'RESOLVED', decision: 'EXTEND' }]);
    const queue = await http(stack, 'GET', `/agencies/${income.agency}/tasks?overdue=true`);
    expect(queue.body.items.map((t: any) => t.id)).not.toContain(income.id);
  });

  it('continues as new in the middle of a path without losing state or a concurrent command', async () => {
    const drill = await startDrill(stack, { age: 16, playbook, maxHistoryEvents: 40 });
    await drill.complete('eas-registration');
    await drill.complete('ssp-home-visit');
    // Several commands at once, around the point where the history passes its limit.
    await Promise.all([
      drill.complete('dks-home-visit'),
      drill.event({ type: 'MOVED', district: 'TINGBJERG' }),
      drill.event({ type: 'MOTIVATION_ASSESSED', motivated: true }),
    ]);
    await drill.complete('joint-assessment');
    await drill.event({ type: 'ASSESSED', track: 'OUTREACH', reasons: 'Opsøgende indsats' });
    const status = await eventually(
      () => drill.status(),
      (s) => s.runs > 0,
    );
    expect(status.stage).toBe('INTERVENTION');
    expect(status.district).toBe('TINGBJERG');
    expect(status.motivated).toBe(true);
    expect(
      status.tasks
        .filter((t) => t.status === 'DONE')
        .map((t) => t.key)
        .sort(),
    ).toEqual(['dks-home-visit', 'eas-registration', 'joint-assessment', 'ssp-home-visit']);
    const after = await drill.event({ type: 'ARRESTED' });
    expect(after.stage).toBe('CUSTODY');
    const entries = await timeline(drill.id);
    // One timeline, numbered without gaps or repeats across runs.
    expect(entries.map((e) => e.sequence)).toEqual(entries.map((_, i) => i + 1));
    expect(await queueKeys(stack, 'CFR', drill.id)).toEqual(['cfr-outreach']);
  });

  it.each<[string, Record<string, string[]>]>([
    // The national programme needs consent and assessed motivation before POLICE_EXIT gets the screening.
    ['EXIT_NATIONAL', { POLICE_EXIT: ['police-exit-intake'], EKI: ['eki-mentor'], JOBCENTER: ['jobcenter-exit-plan'] }],
    ['INVESTIGATION_ONLY', { POLICE_OC: ['oc-information'], CFR: [], EKI: [] }],
    ['OUTREACH', { CFR: ['cfr-outreach', 'cfr-youth-centre'], POLICE_LOCAL: ['local-police-contact'] }],
    ['NO_ACTION', { CFR: [], EKI: [], POLICE_OC: [] }],
  ])('track %s puts its work in the right queues', async (track, queues) => {
    const drill = await startDrill(stack, { age: 21, playbook });
    await drill.complete('eas-registration');
    await drill.complete('joint-assessment');
    const status = await drill.event({ type: 'ASSESSED', track: track as never, reasons: 'Fælles vurdering' });
    expect(status.stage).toBe('INTERVENTION');
    if (track === 'EXIT_NATIONAL') {
      await drill.event({ type: 'CONSENT_GIVEN' });
      // Consent alone is not enough for the national programme's screening.
      expect(await queueKeys(stack, 'POLICE_EXIT', drill.id)).toEqual([]);
      await drill.event({ type: 'MOTIVATION_ASSESSED', motivated: true });
    }
    for (const [agency, keys] of Object.entries(queues)) {
      expect((await queueKeys(stack, agency, drill.id)).sort()).toEqual([...keys].sort());
    }
  });
});

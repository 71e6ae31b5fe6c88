// The managers' and steering groups' aggregates (GET /oversight/*) on a small data set written straight into the read
// model, whose answers are worked out by hand below: months and quarters without data, agencies without tasks,
// Copenhagen's calendar at month and quarter boundaries. No answer carries a person, and each is audited as
// STATISTICS with no pathway.
import { randomUUID } from 'node:crypto';
import { http, startStack, type TestStack } from '../../support/stack';

const DAY = 86_400_000;
const CANARY_NAME = 'Kanariefugl Oversigtsen';
const CANARY_BIRTH = '2009-04-17';

let stack: TestStack;
const now = Date.now();
const ago = (days: number) => new Date(now - days * DAY).toISOString();
const ahead = (days: number) => new Date(now + days * DAY).toISOString();

const ids = Object.fromEntries(['p1', 'p2', 'p3', 'p4', 'p5', 'c1', 'c2', 'c3'].map((k) => [k, randomUUID()]));

interface PathwaySeed {
  key: string;
  stage: string;
  openedAt: string;
  stageEnteredAt: string;
  lastProgressAt?: string;
  stalled?: boolean;
  closedAt?: string;
  outcome?: string;
}

interface TaskSeed {
  pathway: string;
  agency: string;
  type: string;
  status: 'OPEN' | 'CLAIMED' | 'DONE' | 'CANCELLED';
  createdAt: string;
  dueAt: string;
  completedAt?: string;
  assignee?: string;
  claims?: string[];
}

async function seedPathway(p: PathwaySeed): Promise<void> {
  const id = ids[p.key];
  await stack.db.query(
    `INSERT INTO pathways (id, workflow_id, stage, district, playbook_version, opened_at, last_progress_at, version,
                           stage_entered_at, closed_at, closing_outcome, stalled)
     VALUES ($1, $2, $3, 'YDRE_NORREBRO', 1, $4, $5, 1, $6, $7, $8, $9)`,
    [
      id,
      `pathway-${id}`,
      p.stage,
      p.openedAt,
      p.lastProgressAt ?? p.stageEnteredAt,
      p.stageEnteredAt,
      p.closedAt ?? null,
      p.outcome ?? null,
      p.stalled ?? false,
    ],
  );
  // A person behind every pathway: no aggregate may ever show it.
  await stack.db.query(
    `INSERT INTO persons (pathway_id, name, birth_date, contact_source_agency, contact_occurred_at, contact_context)
     VALUES ($1, $2, $3, 'POLICE_LOCAL', $4, 'Set sammen med kendte medlemmer')`,
    [id, CANARY_NAME, CANARY_BIRTH, p.openedAt],
  );
}

let sequence = 0;
async function seedTask(t: TaskSeed): Promise<void> {
  const id = randomUUID();
  await stack.db.query(
    `INSERT INTO tasks (id, pathway_id, task_key, stage, agency_code, type, title, status, created_at, due_at,
                        assignee, completed_at, version)
     VALUES ($1, $2, $3, 'INTERVENTION', $4, $5, 'Opgave', $6, $7, $8, $9, $10, 1)`,
    [
      id,
      ids[t.pathway],
      `key-${id}`,
      t.agency,
      t.type,
      t.status,
      t.createdAt,
      t.dueAt,
      t.assignee ?? null,
      t.completedAt ?? null,
    ],
  );
  // Claims as the projection writes them: timeline entries (the migration's trigger keeps the first).
  for (const at of t.claims ?? []) {
    sequence += 1;
    await stack.db.query(
      `INSERT INTO timeline_entries (id, pathway_id, sequence, at, kind, agency_code, task_id, detail)
       VALUES ($1, $2, $3, $4, 'TASK_CLAIMED', $5, $6, '{}')`,
      [`claim-${sequence}`, ids[t.pathway], sequence, at, t.agency, id],
    );
  }
}

const OG = { as: 'operativ-koordinator' };
const STEERING = { as: 'sikker-by' };

beforeAll(async () => {
  stack = await startStack({ worker: false });
  await stack.db.query(
    `INSERT INTO playbooks (version, name, definition) VALUES (1, 'test', '{}') ON CONFLICT DO NOTHING`,
  );
  // Open pathways: three in INTERVENTION (10, 20 and 40 days; the last stalled 35 days), one in CUSTODY, one in
  // ASSESSMENT (100 days, stalled 95 days).
  await seedPathway({ key: 'p1', stage: 'INTERVENTION', openedAt: ago(120), stageEnteredAt: ago(10) });
  await seedPathway({ key: 'p2', stage: 'INTERVENTION', openedAt: ago(120), stageEnteredAt: ago(20) });
  await seedPathway({
    key: 'p3',
    stage: 'INTERVENTION',
    openedAt: ago(120),
    stageEnteredAt: ago(40),
    lastProgressAt: ago(35),
    stalled: true,
  });
  await seedPathway({ key: 'p4', stage: 'CUSTODY', openedAt: ago(120), stageEnteredAt: ago(5) });
  await seedPathway({
    key: 'p5',
    stage: 'ASSESSMENT',
    openedAt: ago(120),
    stageEnteredAt: ago(100),
    lastProgressAt: ago(95),
    stalled: true,
  });
  // Closed pathways of 2025. c3 opened 2025-03-31 22:30 UTC = 1 April 00:30 in Copenhagen (Q2), and closed
  // 2025-12-31 23:30 UTC = 1 January 2026 in Copenhagen (not in 2025).
  await seedPathway({
    key: 'c1',
    stage: 'CLOSED',
    openedAt: '2025-02-10T09:00:00Z',
    stageEnteredAt: '2025-05-03T09:00:00Z',
    closedAt: '2025-05-03T09:00:00Z',
    outcome: 'COMPLETED',
  });
  await seedPathway({
    key: 'c2',
    stage: 'CLOSED',
    openedAt: '2025-02-20T09:00:00Z',
    stageEnteredAt: '2025-05-20T09:00:00Z',
    closedAt: '2025-05-20T09:00:00Z',
    outcome: 'DECLINED',
  });
  await seedPathway({
    key: 'c3',
    stage: 'CLOSED',
    openedAt: '2025-03-31T22:30:00Z',
    stageEnteredAt: '2025-12-31T23:30:00Z',
    closedAt: '2025-12-31T23:30:00Z',
    outcome: 'COMPLETED',
  });

  // Done in January 2025 by EKI (MENTOR): on time; 48 h late; 24 h late.
  await seedTask({
    pathway: 'c1',
    agency: 'EKI',
    type: 'MENTOR',
    status: 'DONE',
    createdAt: '2025-01-05T10:00:00Z',
    dueAt: '2025-01-15T10:00:00Z',
    completedAt: '2025-01-14T10:00:00Z',
    // Claimed after 24 h, given back and claimed again: the first claim counts (work 8 days = 192 h).
    claims: ['2025-01-08T10:00:00Z', '2025-01-06T10:00:00Z'],
  });
  await seedTask({
    pathway: 'c2',
    agency: 'EKI',
    type: 'MENTOR',
    status: 'DONE',
    createdAt: '2025-01-05T10:00:00Z',
    dueAt: '2025-01-10T10:00:00Z',
    completedAt: '2025-01-12T10:00:00Z',
  });
  await seedTask({
    pathway: 'c3',
    agency: 'EKI',
    type: 'MENTOR',
    status: 'DONE',
    createdAt: '2025-01-01T10:00:00Z',
    dueAt: '2025-01-20T10:00:00Z',
    completedAt: '2025-01-21T10:00:00Z',
    // Queue 48 h, work 18 days = 432 h.
    claims: ['2025-01-03T10:00:00Z'],
  });
  // Cancelled in January: no SLA figure.
  await seedTask({
    pathway: 'c3',
    agency: 'EKI',
    type: 'MENTOR',
    status: 'CANCELLED',
    createdAt: '2025-01-01T10:00:00Z',
    dueAt: '2025-01-20T10:00:00Z',
  });
  // March: one on time; one done 31 March 22:30 UTC, which is April in Copenhagen.
  await seedTask({
    pathway: 'c2',
    agency: 'JOBCENTER',
    type: 'INCOME_JOB_PLAN',
    status: 'DONE',
    createdAt: '2025-03-01T10:00:00Z',
    dueAt: '2025-03-10T10:00:00Z',
    completedAt: '2025-03-05T12:00:00Z',
  });
  await seedTask({
    pathway: 'c1',
    agency: 'JOBCENTER',
    type: 'INCOME_JOB_PLAN',
    status: 'DONE',
    createdAt: '2025-03-01T10:00:00Z',
    dueAt: '2025-03-10T10:00:00Z',
    completedAt: '2025-03-31T22:30:00Z',
  });

  // Open work now: EKI one unclaimed and overdue (30 days old), two claimed by one caseworker (due in 3 and 20 days);
  // SSP one claimed due in 6 days, one unclaimed due in 8; Jobcenter only a done task; CFR nothing at all.
  await seedTask({ pathway: 'p1', agency: 'EKI', type: 'MENTOR', status: 'OPEN', createdAt: ago(30), dueAt: ago(2) });
  await seedTask({
    pathway: 'p2',
    agency: 'EKI',
    type: 'MENTOR',
    status: 'CLAIMED',
    assignee: 'eki-a',
    createdAt: ago(4),
    dueAt: ahead(3),
  });
  await seedTask({
    pathway: 'p3',
    agency: 'EKI',
    type: 'MENTOR',
    status: 'CLAIMED',
    assignee: 'eki-a',
    createdAt: ago(1),
    dueAt: ahead(20),
  });
  await seedTask({
    pathway: 'p4',
    agency: 'SSP',
    type: 'PREVENTIVE_HOME_VISIT',
    status: 'CLAIMED',
    assignee: 'ssp-b',
    createdAt: ago(2),
    dueAt: ahead(6),
  });
  await seedTask({
    pathway: 'p4',
    agency: 'SSP',
    type: 'PREVENTIVE_HOME_VISIT',
    status: 'OPEN',
    createdAt: ago(1),
    dueAt: ahead(8),
  });
  await seedTask({
    pathway: 'p1',
    agency: 'JOBCENTER',
    type: 'INCOME_JOB_PLAN',
    status: 'DONE',
    createdAt: ago(9),
    dueAt: ago(5),
    completedAt: ago(6),
  });
  // The caseworkers holding claimed work: eki-a called the API yesterday, ssp-b last 10 days ago (away).
  await stack.db.query(
    `INSERT INTO users (user_id, display_name, agency_code, roles, first_seen_at, last_seen_at)
     VALUES ('eki-a', 'EKI A', 'EKI', '{CASEWORKER}', $1, $2), ('ssp-b', 'SSP B', 'SSP', '{CASEWORKER}', $1, $3)`,
    [ago(100), ago(1), ago(10)],
  );
});

afterAll(async () => {
  await stack?.stop();
});

async function statisticsAudits(): Promise<{ actor_agency: string; pathway_id: string | null }[]> {
  return stack.db.query(`SELECT actor_agency, pathway_id FROM audit_log WHERE action = 'STATISTICS' ORDER BY id`);
}

/** Every key anywhere in a JSON value. */
function keys(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keys);
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => [k, ...keys(v)]);
  }
  return [];
}

describe('GET /oversight/stages', () => {
  it('counts open pathways per stage with their time in it; stages without pathways are zero', async () => {
    const res = await http(stack, 'GET', '/oversight/stages', undefined, OG);
    expect(res.status).toBe(200);
    expect(res.body.minCell).toBeNull();
    expect(res.body.open).toBe(5);
    const byStage = Object.fromEntries(
      res.body.stages.map((s: any) => [s.stage, [s.open, s.medianDaysInStage, s.maxDaysInStage]]),
    );
    expect(byStage).toEqual({
      CONTACT: [0, 0, 0],
      ASSESSMENT: [1, 100, 100],
      INTERVENTION: [3, 20, 40],
      CUSTODY: [1, 5, 5],
      RELEASE_PLANNING: [0, 0, 0],
      REINTEGRATION: [0, 0, 0],
      PLACEMENT: [0, 0, 0],
      FOLLOW_UP: [0, 0, 0],
    });
  });
});

describe('GET /oversight/sla', () => {
  it('per month (February empty) and per agency and task type, by Copenhagen months', async () => {
    const res = await http(stack, 'GET', '/oversight/sla?from=2025-01&to=2025-03', undefined, OG);
    expect(res.status).toBe(200);
    expect(res.body.months).toEqual([
      {
        month: '2025-01',
        done: 3,
        onTime: 1,
        onTimeShare: 0.333,
        medianLateHours: 36,
        claimed: 2,
        medianQueueHours: 36,
        medianWorkHours: 312,
      },
      {
        month: '2025-02',
        done: 0,
        onTime: 0,
        onTimeShare: null,
        medianLateHours: null,
        claimed: 0,
        medianQueueHours: null,
        medianWorkHours: null,
      },
      {
        month: '2025-03',
        done: 1,
        onTime: 1,
        onTimeShare: 1,
        medianLateHours: null,
        claimed: 0,
        medianQueueHours: null,
        medianWorkHours: null,
      },
    ]);
    expect(res.body.rows.map((r: any) => [r.month, r.agency, r.taskType, r.done, r.onTime])).toEqual([
      ['2025-01', 'EKI', 'MENTOR', 3, 1],
      ['2025-03', 'JOBCENTER', 'INCOME_JOB_PLAN', 1, 1],
    ]);
  });

  it('the task done at 00:30 on 1 April in Copenhagen is April’s', async () => {
    const res = await http(stack, 'GET', '/oversight/sla?from=2025-04&to=2025-04', undefined, OG);
    expect(res.body.months.map((m: any) => [m.month, m.done, m.onTime, m.medianLateHours])).toEqual([
      ['2025-04', 1, 0, 516.5],
    ]);
  });

  it('the running month and the two before it by default; a task done six days ago is counted', async () => {
    const res = await http(stack, 'GET', '/oversight/sla', undefined, OG);
    expect(res.status).toBe(200);
    expect(res.body.months).toHaveLength(3);
    const running = res.body.months[2];
    expect(running.month).toBe(res.body.to);
    // The Jobcenter task done six days ago is in this month or the one before; nothing else of the seed is this recent.
    expect(res.body.months.reduce((sum: number, m: any) => sum + m.done, 0)).toBe(1);
  });

  it.each([
    ['from=2025-13', 'from', 'must be a month as YYYY-MM'],
    ['from=2025-05&to=2025-04', 'from', 'must not be after to'],
    ['from=2024-01&to=2025-01', 'from', 'at most 12 months at a time'],
  ])('?%s is a 400 naming %s', async (query, field, reason) => {
    const before = (await statisticsAudits()).length;
    const res = await http(stack, 'GET', `/oversight/sla?${query}`, undefined, OG);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field, reason }]);
    expect((await statisticsAudits()).length).toBe(before);
  });
});

describe('GET /oversight/deadlines and /oversight/workload', () => {
  it('overdue and due soon per agency, every active agency listed', async () => {
    const res = await http(stack, 'GET', '/oversight/deadlines', undefined, STEERING);
    expect(res.status).toBe(200);
    expect([res.body.soonDays, res.body.overdue, res.body.dueSoon]).toEqual([7, 1, 2]);
    const by = Object.fromEntries(res.body.agencies.map((a: any) => [a.agency, [a.overdue, a.dueSoon]]));
    expect([by.EKI, by.SSP, by.JOBCENTER, by.CFR]).toEqual([
      [1, 1],
      [0, 1],
      [0, 0],
      [0, 0],
    ]);
    const wider = await http(stack, 'GET', '/oversight/deadlines?soonDays=10', undefined, STEERING);
    expect(wider.body.agencies.find((a: any) => a.agency === 'SSP')).toEqual({ agency: 'SSP', overdue: 0, dueSoon: 2 });
    const bad = await http(stack, 'GET', '/oversight/deadlines?soonDays=0', undefined, STEERING);
    expect(bad.body.errors).toEqual([{ field: 'soonDays', reason: 'must be a whole number from 1 to 90' }]);
  });

  it('unassigned and claimed work per agency with the caseworkers holding it', async () => {
    const res = await http(stack, 'GET', '/oversight/workload', undefined, OG);
    expect(res.status).toBe(200);
    expect([res.body.unassigned, res.body.claimed]).toEqual([2, 3]);
    const by = Object.fromEntries(res.body.agencies.map((a: any) => [a.agency, a]));
    const none = { absentClaimed: 0, absentAssignees: 0 };
    expect(by.EKI).toEqual({ agency: 'EKI', unassigned: 1, claimed: 2, assignees: 1, oldestOpenDays: 30, ...none });
    expect(by.SSP).toEqual({
      agency: 'SSP',
      unassigned: 1,
      claimed: 1,
      assignees: 1,
      oldestOpenDays: 2,
      absentClaimed: 1,
      absentAssignees: 1,
    });
    expect(by.CFR).toEqual({ agency: 'CFR', unassigned: 0, claimed: 0, assignees: 0, oldestOpenDays: null, ...none });
  });

  it('work held by someone without any action for absentDays days (7 by default), for team leads to rebalance', async () => {
    const week = await http(stack, 'GET', '/oversight/workload', undefined, STEERING);
    expect([week.body.absentDays, week.body.absentClaimed]).toEqual([7, 1]);
    const fortnight = await http(stack, 'GET', '/oversight/workload?absentDays=14', undefined, STEERING);
    expect([fortnight.body.absentDays, fortnight.body.absentClaimed]).toEqual([14, 0]);
    // eki-a was last here a day (and the seconds since the seed) ago: absent after one day, with both tasks.
    const day = await http(stack, 'GET', '/oversight/workload?absentDays=1', undefined, STEERING);
    const eki = day.body.agencies.find((a: any) => a.agency === 'EKI');
    expect([eki.absentClaimed, eki.absentAssignees, day.body.absentClaimed]).toEqual([2, 1, 3]);
    expect(JSON.stringify(week.body)).not.toMatch(/eki-a|ssp-b|EKI A|SSP B/);
    for (const value of ['0', '91', 'x', '7.5']) {
      const bad = await http(stack, 'GET', `/oversight/workload?absentDays=${value}`, undefined, STEERING);
      expect(bad.status).toBe(400);
      expect(bad.body.errors).toEqual([{ field: 'absentDays', reason: 'must be a whole number from 1 to 90' }]);
    }
  });
});

describe('GET /oversight/stalled', () => {
  it('stalled pathways per stage and for how long', async () => {
    const res = await http(stack, 'GET', '/oversight/stalled', undefined, OG);
    expect(res.status).toBe(200);
    expect(res.body.stalled).toBe(2);
    const stalled = res.body.stages.filter((s: any) => s.stalled > 0);
    expect(stalled).toEqual([
      {
        stage: 'ASSESSMENT',
        stalled: 1,
        medianDays: 95,
        maxDays: 95,
        byDays: { under30: 0, from30to59: 0, from60to89: 0, over90: 1 },
      },
      {
        stage: 'INTERVENTION',
        stalled: 1,
        medianDays: 35,
        maxDays: 35,
        byDays: { under30: 0, from30to59: 1, from60to89: 0, over90: 0 },
      },
    ]);
  });
});

describe('GET /oversight/quarters', () => {
  it('started and closed by outcome per Copenhagen quarter, empty quarters included', async () => {
    const res = await http(stack, 'GET', '/oversight/quarters?from=2025&to=2025', undefined, OG);
    expect(res.status).toBe(200);
    expect(res.body.quarters.map((q: any) => [q.quarter, q.started, q.closed])).toEqual([
      ['2025-Q1', 2, 0],
      ['2025-Q2', 1, 2],
      ['2025-Q3', 0, 0],
      ['2025-Q4', 0, 0],
    ]);
    expect(res.body.quarters[1].closedByOutcome).toMatchObject({ COMPLETED: 1, DECLINED: 1, MOVED: 0 });
    const next = await http(stack, 'GET', '/oversight/quarters?from=2026&to=2026', undefined, OG);
    expect(next.body.quarters[0]).toMatchObject({ quarter: '2026-Q1', closed: 1 });
    expect(next.body.quarters.reduce((sum: number, q: any) => sum + q.started, 0)).toBe(5);
  });
});

describe('small-number suppression for the steering group and managers (REPORT_MIN_CELL 3)', () => {
  const MANAGER = { as: 'leder' };

  it('hides open pathways per stage from 1 to 2 people, with their times; the total of 5 stays', async () => {
    for (const who of [STEERING, MANAGER]) {
      const res = await http(stack, 'GET', '/oversight/stages', undefined, who);
      expect(res.body.minCell).toBe(3);
      expect(res.body.open).toBe(5);
      const byStage = Object.fromEntries(
        res.body.stages.map((s: any) => [s.stage, [s.open, s.medianDaysInStage, s.maxDaysInStage]]),
      );
      expect(byStage).toMatchObject({
        CONTACT: [0, 0, 0],
        ASSESSMENT: ['<3', '<3', '<3'],
        INTERVENTION: [3, 20, 40],
        CUSTODY: ['<3', '<3', '<3'],
      });
    }
  });

  it('hides the stalled pathways (one in each of two stages), their times and the total of 2', async () => {
    const res = await http(stack, 'GET', '/oversight/stalled', undefined, MANAGER);
    expect(res.body).toMatchObject({ minCell: 3, stalled: '<3' });
    const assessment = res.body.stages.find((s: any) => s.stage === 'ASSESSMENT');
    expect(assessment).toEqual({
      stage: 'ASSESSMENT',
      stalled: '<3',
      medianDays: '<3',
      maxDays: '<3',
      byDays: { under30: 0, from30to59: 0, from60to89: 0, over90: '<3' },
    });
  });

  it('hides started and closed per quarter as the yearly report does; a total of 3 stays', async () => {
    const res = await http(stack, 'GET', '/oversight/quarters?from=2025&to=2025', undefined, STEERING);
    expect(res.body.quarters.map((q: any) => [q.quarter, q.started, q.closed])).toEqual([
      ['2025-Q1', '<3', 0],
      ['2025-Q2', '<3', '<3'],
      ['2025-Q3', 0, 0],
      ['2025-Q4', 0, 0],
    ]);
    expect(res.body.quarters[1].closedByOutcome).toMatchObject({ COMPLETED: '<3', DECLINED: '<3', MOVED: 0 });
  });

  it('shows SLA figures of 3 people and hides a month of 1, its share and medians with it', async () => {
    const res = await http(stack, 'GET', '/oversight/sla?from=2025-01&to=2025-03', undefined, MANAGER);
    expect(res.body.minCell).toBe(3);
    const exact = await http(stack, 'GET', '/oversight/sla?from=2025-01&to=2025-03', undefined, OG);
    expect(res.body.months[0]).toEqual(exact.body.months[0]);
    expect(res.body.months[0]).toMatchObject({ month: '2025-01', done: 3 });
    expect(res.body.months[1]).toMatchObject({ month: '2025-02', done: 0, onTimeShare: null });
    expect(res.body.months[2]).toMatchObject({
      month: '2025-03',
      done: '<3',
      onTime: '<3',
      onTimeShare: '<3',
      medianLateHours: '<3',
      claimed: '<3',
    });
    expect(res.body.rows.find((r: any) => r.month === '2025-03')).toMatchObject({ agency: 'JOBCENTER', done: '<3' });
  });

  it('leaves the agencies’ open work (tasks and claims, not people) exact', async () => {
    const exact = await http(stack, 'GET', '/oversight/workload', undefined, OG);
    const managers = await http(stack, 'GET', '/oversight/workload', undefined, MANAGER);
    expect(managers.body.agencies).toEqual(exact.body.agencies);
  });
});

describe('who may read aggregates', () => {
  it('an agency without oversight is refused: audited as a refused attempt, not as figures read', async () => {
    const before = (await statisticsAudits()).length;
    const res = await http(stack, 'GET', '/oversight/stages', undefined, { as: 'jobcenter-sagsbehandler' });
    expect(res.status).toBe(403);
    const none = await http(stack, 'GET', '/oversight/stages', undefined, { as: 'anonymous' });
    expect(none.status).toBe(401);
    expect((await statisticsAudits()).length).toBe(before);
    const refused = await stack.db.query(
      `SELECT actor_user_id, action, result FROM audit_log WHERE result = 'REFUSED' ORDER BY id DESC LIMIT 1`,
    );
    expect(refused).toEqual([
      { actor_user_id: 'jobcenter-sagsbehandler', action: 'oversight.read', result: 'REFUSED' },
    ]);
  });
});

describe('no person in any aggregate', () => {
  const ROUTES = [
    '/oversight/stages',
    '/oversight/sla?from=2025-01&to=2025-12',
    '/oversight/deadlines',
    '/oversight/workload',
    '/oversight/stalled',
    '/oversight/quarters?from=2025&to=2026',
  ];

  it('the steering group gets figures only, each answer audited as statistics without a pathway', async () => {
    const before = (await statisticsAudits()).length;
    const signedIn = { authorization: `Bearer ${await stack.tokenFor('sikker-by')}` };
    for (const route of ROUTES) {
      const res = await fetch(`${stack.baseUrl}${route}`, { headers: signedIn });
      const text = await res.text();
      expect({ route, status: res.status }).toEqual({ route, status: 200 });
      expect(text).not.toContain(CANARY_NAME);
      expect(text).not.toContain(CANARY_BIRTH);
      for (const id of Object.values(ids)) expect(text).not.toContain(id);
      const found = keys(JSON.parse(text)).filter((k) =>
        ['person', 'name', 'birthDate', 'pathwayId', 'taskId', 'assignee', 'id'].includes(k),
      );
      expect({ route, found }).toEqual({ route, found: [] });
    }
    const audits = await statisticsAudits();
    expect(audits.slice(before)).toEqual(ROUTES.map(() => ({ actor_agency: 'SIKKER_BY', pathway_id: null })));
    const personReads = await stack.db.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action <> 'STATISTICS' AND result = 'ALLOWED'`,
    );
    expect(personReads[0].n).toBe(0);
  });
});

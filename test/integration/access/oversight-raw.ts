// The dashboard's aggregates against counts taken straight from the raw rows, on a generated data set with every
// small case in it: stages with 0, 1, 2 and 3 open pathways (and more), stalled pathways spread the same way, and open
// work of every status per agency with due dates on both sides of now. Nothing here is worked out by hand: each figure
// the API gives is compared with a SELECT over `pathways` and `tasks`. For the steering group and managers (suppressed
// at REPORT_MIN_CELL 3) every shown figure must equal the raw count, every "<3" must stand for 1 or 2, and no hidden
// figure may come back as the total minus the shown ones.
import { randomUUID } from 'node:crypto';
import { http, startStack, type TestStack } from '../../support/stack';

const DAY = 86_400_000;
const OPEN_STAGES = [
  'CONTACT',
  'ASSESSMENT',
  'INTERVENTION',
  'CUSTODY',
  'RELEASE_PLANNING',
  'REINTEGRATION',
  'PLACEMENT',
  'FOLLOW_UP',
];
/** Open pathways per stage and how many of them are stalled: 0, 1, 2 and 3 in both, and a few larger. */
const SHAPE: Record<string, [open: number, stalled: number]> = {
  CONTACT: [0, 0],
  ASSESSMENT: [1, 1],
  INTERVENTION: [2, 0],
  CUSTODY: [3, 2],
  RELEASE_PLANNING: [7, 3],
  REINTEGRATION: [1, 0],
  PLACEMENT: [4, 0],
  FOLLOW_UP: [12, 5],
};
const AGENCIES = ['SSP', 'JOBCENTER', 'EKI', 'CFR', 'KRIMINALFORSORGEN'];
const STATUSES = ['OPEN', 'CLAIMED', 'DONE', 'CANCELLED'] as const;

let stack: TestStack;
const OG = { as: 'operativ-koordinator' };
const SUPPRESSED = [{ as: 'sikker-by' }, { as: 'leder' }];

/** A small deterministic generator: the same data set at every run, so a failure can be looked at again. */
function generator(seed: number) {
  let x = seed;
  return (n: number) => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x % n;
  };
}

beforeAll(async () => {
  stack = await startStack({ worker: false });
  await stack.db.query(
    `INSERT INTO playbooks (version, name, definition) VALUES (1, 'test', '{}') ON CONFLICT DO NOTHING`,
  );
  const pick = generator(12);
  const now = Date.now();
  const pathways: string[] = [];
  for (const [stage, [open, stalled]] of Object.entries(SHAPE)) {
    for (let i = 0; i < open; i++) {
      const id = randomUUID();
      pathways.push(id);
      const entered = new Date(now - (1 + pick(90)) * DAY).toISOString();
      await stack.db.query(
        `INSERT INTO pathways (id, workflow_id, stage, district, playbook_version, opened_at, last_progress_at,
                               version, stage_entered_at, stalled)
         VALUES ($1, $2, $3, 'TINGBJERG', 1, $4, $4, 1, $4, $5)`,
        [id, `pathway-${id}`, stage, entered, i < stalled],
      );
    }
  }
  // Closed pathways count nowhere on the dashboard's stages.
  for (let i = 0; i < 3; i++) {
    const id = randomUUID();
    const at = new Date(now - 20 * DAY).toISOString();
    await stack.db.query(
      `INSERT INTO pathways (id, workflow_id, stage, district, playbook_version, opened_at, last_progress_at, version,
                             stage_entered_at, closed_at, closing_outcome)
       VALUES ($1, $2, 'CLOSED', 'TINGBJERG', 1, $3, $3, 1, $3, $3, 'COMPLETED')`,
      [id, `pathway-${id}`, at],
    );
  }
  // 60 tasks over the agencies (CFR gets none: an agency without tasks), every status, due from 10 days ago to 20 ahead.
  for (let i = 0; i < 60; i++) {
    const status = STATUSES[pick(4)];
    const agency = AGENCIES.filter((a) => a !== 'CFR')[pick(4)];
    await stack.db.query(
      `INSERT INTO tasks (id, pathway_id, task_key, stage, agency_code, type, title, status, created_at, due_at,
                          assignee, completed_at, version)
       VALUES ($1, $2, $3, 'INTERVENTION', $4, 'MENTOR', 'Opgave', $5, $6, $7, $8, $9, 1)`,
      [
        randomUUID(),
        pathways[pick(pathways.length)],
        `key-${i}`,
        agency,
        status,
        new Date(now - (5 + pick(30)) * DAY).toISOString(),
        new Date(now + (pick(31) - 10) * DAY + 3600_000).toISOString(),
        status === 'CLAIMED' ? `worker-${pick(3)}` : null,
        status === 'DONE' ? new Date(now - pick(4) * DAY).toISOString() : null,
      ],
    );
  }
});

afterAll(async () => {
  await stack?.stop();
});

async function raw(sql: string): Promise<Record<string, number>> {
  const rows: { k: string; n: number }[] = await stack.db.query(sql);
  return Object.fromEntries(rows.map((r) => [r.k, Number(r.n)]));
}

/** The suppressed line (cells and total) against the raw counts: shown equal, "<3" from 1 or 2, nothing recoverable. */
function checkSuppressed(
  cells: Record<string, number | string>,
  total: number | string,
  truth: Record<string, number>,
) {
  const hidden = Object.keys(cells).filter((k) => typeof cells[k] === 'string');
  for (const [k, v] of Object.entries(cells)) {
    if (typeof v === 'number') expect({ k, v }).toEqual({ k, v: truth[k] ?? 0 });
    else if (v === '<3') expect({ k, small: [1, 2].includes(truth[k] ?? 0) }).toEqual({ k, small: true });
    else expect({ k, v }).toEqual({ k, v: 'x' });
  }
  // Every raw count from 1 to 2 is hidden.
  for (const k of Object.keys(cells)) {
    if ([1, 2].includes(truth[k] ?? 0)) expect({ k, hidden: hidden.includes(k) }).toEqual({ k, hidden: true });
  }
  // A total shown beside exactly one hidden cell would give it back.
  if (typeof total === 'number') {
    expect(total).toBe(Object.values(truth).reduce((a, b) => a + b, 0));
    expect(hidden.length).not.toBe(1);
  }
}

describe('aggregates equal the counts of the raw rows', () => {
  it('open pathways per stage: exact for the operative group, with the total', async () => {
    const truth = await raw(`SELECT stage AS k, count(*) AS n FROM pathways WHERE stage <> 'CLOSED' GROUP BY stage`);
    const res = await http(stack, 'GET', '/oversight/stages', undefined, OG);
    expect(res.status).toBe(200);
    expect(Object.fromEntries(res.body.stages.map((s: any) => [s.stage, s.open]))).toEqual(
      Object.fromEntries(OPEN_STAGES.map((s) => [s, truth[s] ?? 0])),
    );
    expect(res.body.open).toBe(Object.values(truth).reduce((a, b) => a + b, 0));
    // The data set has every small case in it.
    expect(Object.values(SHAPE).map(([open]) => open)).toEqual(expect.arrayContaining([0, 1, 2, 3]));
  });

  it.each(SUPPRESSED)('open pathways per stage for $as: shown equal, hidden 1–2, none recoverable', async (who) => {
    const truth = await raw(`SELECT stage AS k, count(*) AS n FROM pathways WHERE stage <> 'CLOSED' GROUP BY stage`);
    const res = await http(stack, 'GET', '/oversight/stages', undefined, who);
    expect(res.body.minCell).toBe(3);
    const cells = Object.fromEntries(res.body.stages.map((s: any) => [s.stage, s.open]));
    checkSuppressed(cells, res.body.open, truth);
    // The 1, 2 and 1 (ASSESSMENT, INTERVENTION, REINTEGRATION) are hidden; 0, 3 and more are shown.
    expect([cells.CONTACT, cells.CUSTODY, cells.FOLLOW_UP]).toEqual([0, 3, 12]);
  });

  it('stalled pathways per stage: exact for the operative group', async () => {
    const truth = await raw(`SELECT stage AS k, count(*) AS n FROM pathways WHERE stalled GROUP BY stage`);
    const res = await http(stack, 'GET', '/oversight/stalled', undefined, OG);
    expect(Object.fromEntries(res.body.stages.map((s: any) => [s.stage, s.stalled]))).toEqual(
      Object.fromEntries(OPEN_STAGES.map((s) => [s, truth[s] ?? 0])),
    );
    expect(res.body.stalled).toBe(Object.values(truth).reduce((a, b) => a + b, 0));
  });

  it.each(SUPPRESSED)('stalled pathways per stage for $as: shown equal, hidden 1–2, none recoverable', async (who) => {
    const truth = await raw(`SELECT stage AS k, count(*) AS n FROM pathways WHERE stalled GROUP BY stage`);
    const res = await http(stack, 'GET', '/oversight/stalled', undefined, who);
    checkSuppressed(Object.fromEntries(res.body.stages.map((s: any) => [s.stage, s.stalled])), res.body.stalled, truth);
  });

  it.each([OG, ...SUPPRESSED])('open work, deadlines and absence per agency for $as, exact', async (who) => {
    const count = (where: string) =>
      raw(`SELECT agency_code AS k, count(*) AS n FROM tasks WHERE ${where} GROUP BY agency_code`);
    const [unassigned, claimed, overdue, dueSoon, absent] = await Promise.all([
      count(`status = 'OPEN'`),
      count(`status = 'CLAIMED'`),
      count(`status IN ('OPEN', 'CLAIMED') AND due_at < now()`),
      count(`status IN ('OPEN', 'CLAIMED') AND due_at >= now() AND due_at < now() + interval '7 days'`),
      // No worker ever signed in or claimed through the API: each claimed task is held by someone absent (it was
      // created at least 5 days ago, so absentDays=3 counts them all).
      count(`status = 'CLAIMED'`),
    ]);
    const work = await http(stack, 'GET', '/oversight/workload?absentDays=3', undefined, who);
    const deadlines = await http(stack, 'GET', '/oversight/deadlines', undefined, who);
    for (const agency of AGENCIES) {
      const w = work.body.agencies.find((a: any) => a.agency === agency);
      const d = deadlines.body.agencies.find((a: any) => a.agency === agency);
      expect({ agency, w: [w.unassigned, w.claimed, w.absentClaimed], d: [d.overdue, d.dueSoon] }).toEqual({
        agency,
        w: [unassigned[agency] ?? 0, claimed[agency] ?? 0, absent[agency] ?? 0],
        d: [overdue[agency] ?? 0, dueSoon[agency] ?? 0],
      });
    }
    expect(work.body.agencies.find((a: any) => a.agency === 'CFR')).toMatchObject({ unassigned: 0, claimed: 0 });
    const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
    expect([work.body.unassigned, work.body.claimed, work.body.absentClaimed]).toEqual([
      sum(unassigned),
      sum(claimed),
      sum(absent),
    ]);
    expect([deadlines.body.overdue, deadlines.body.dueSoon]).toEqual([sum(overdue), sum(dueSoon)]);
  });
});

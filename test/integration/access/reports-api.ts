// The steering group's activity goals and external figures, and the yearly status report (GET /reports/yearly/:year)
// as CSV and PDF, on a data set written straight into the read model with small counts whose suppression is worked
// out by hand below. The PDF's text is read back with pdftotext (poppler-utils).
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { http, startStack, type TestStack } from '../../support/stack';

const CANARY_NAME = 'Kanariefugl Rapportsen';
const STEERING = { as: 'sikker-by' };
let stack: TestStack;

async function pathway(stage: string, openedAt: string, closedAt?: string, outcome?: string): Promise<string> {
  const id = randomUUID();
  await stack.db.query(
    `INSERT INTO pathways (id, workflow_id, stage, district, playbook_version, opened_at, last_progress_at, version,
                           stage_entered_at, closed_at, closing_outcome)
     VALUES ($1, $2, $3, 'TINGBJERG', 1, $4, $4, 1, $4, $5, $6)`,
    [id, `pathway-${id}`, stage, openedAt, closedAt ?? null, outcome ?? null],
  );
  await stack.db.query(
    `INSERT INTO persons (pathway_id, name, birth_date, contact_source_agency, contact_occurred_at, contact_context)
     VALUES ($1, $2, '2008-02-02', 'POLICE_LOCAL', $3, 'Kontekst')`,
    [id, CANARY_NAME, openedAt],
  );
  return id;
}

async function doneTask(pathwayId: string, agency: string, type: string, dueAt: string, completedAt: string) {
  const id = randomUUID();
  await stack.db.query(
    `INSERT INTO tasks (id, pathway_id, task_key, stage, agency_code, type, title, status, created_at, due_at,
                        completed_at, version)
     VALUES ($1, $2, $3, 'INTERVENTION', $4, $5, 'Opgave', 'DONE', '2025-01-01T08:00:00Z', $6, $7, 1)`,
    [id, pathwayId, `key-${id}`, agency, type, dueAt, completedAt],
  );
}

beforeAll(async () => {
  stack = await startStack({ worker: false });
  await stack.db.query(
    `INSERT INTO playbooks (version, name, definition) VALUES (1, 'test', '{}') ON CONFLICT DO NOTHING`,
  );
  // Started in 2025 and still open: Q1 4, Q2 1, Q3 0, Q4 3; six in INTERVENTION, two in CUSTODY.
  const open: string[] = [];
  const starts: [string, string][] = [
    ['INTERVENTION', '2025-01-10T10:00:00Z'],
    ['INTERVENTION', '2025-02-10T10:00:00Z'],
    ['INTERVENTION', '2025-03-10T10:00:00Z'],
    ['INTERVENTION', '2025-03-11T10:00:00Z'],
    ['INTERVENTION', '2025-05-10T10:00:00Z'],
    ['INTERVENTION', '2025-10-10T10:00:00Z'],
    ['CUSTODY', '2025-11-10T10:00:00Z'],
    ['CUSTODY', '2025-12-10T10:00:00Z'],
  ];
  for (const [stage, at] of starts) open.push(await pathway(stage, at));
  // Opened in 2024, closed in 2025: COMPLETED Q2 3, Q3 4; DECLINED Q2 1, Q3 5.
  const closings: [string, string, number][] = [
    ['COMPLETED', '2025-05-01T10:00:00Z', 3],
    ['COMPLETED', '2025-08-01T10:00:00Z', 4],
    ['DECLINED', '2025-05-01T10:00:00Z', 1],
    ['DECLINED', '2025-08-01T10:00:00Z', 5],
  ];
  for (const [outcome, at, count] of closings) {
    for (let i = 0; i < count; i++) await pathway('CLOSED', '2024-06-01T10:00:00Z', at, outcome);
  }
  // SSP home visits in March: 5 tasks for 4 people, one 12 hours late. EKI mentoring in May: 2 tasks for 2 people.
  for (const [i, id] of open.slice(0, 4).entries()) {
    await doneTask(id, 'SSP', 'PREVENTIVE_HOME_VISIT', '2025-03-20T10:00:00Z', '2025-03-15T10:00:00Z');
    if (i === 0) await doneTask(id, 'SSP', 'PREVENTIVE_HOME_VISIT', '2025-03-20T10:00:00Z', '2025-03-20T22:00:00Z');
  }
  await doneTask(open[4], 'EKI', 'MENTOR', '2025-05-20T10:00:00Z', '2025-05-15T10:00:00Z');
  await doneTask(open[5], 'EKI', 'MENTOR', '2025-05-20T10:00:00Z', '2025-05-15T10:00:00Z');
});

afterAll(async () => {
  await stack?.stop();
});

const GOALS = {
  goals: [
    { taskType: 'PREVENTIVE_HOME_VISIT', label: 'Forebyggende hjemmebesøg', target: 10 },
    { taskType: 'MENTOR', label: 'Mentorforløb', target: 4 },
    { taskType: 'EXIT_INTAKE', label: 'Exit-forløb startet', target: 5 },
  ],
};
const FIGURES = {
  figures: [
    {
      code: 'UTRYGHED',
      label: 'Andel der føler sig utrygge',
      value: 18.5,
      unit: '%',
      source: 'Tryghedsundersøgelsen 2025',
    },
    { code: 'SKUDEPISODER', label: 'Skudepisoder i området', value: 3, source: 'Københavns Politi, 2025' },
  ],
};

describe('activity goals and external figures', () => {
  it('are set by the steering group only; a repeat leaves the same goals', async () => {
    const refused = await http(stack, 'PUT', '/reports/goals/2025', GOALS, { as: 'operativ-koordinator' });
    expect(refused.status).toBe(403);
    expect((await http(stack, 'GET', '/reports/goals/2025', undefined, STEERING)).body.goals).toEqual([]);
    for (let i = 0; i < 2; i++) {
      const res = await http(stack, 'PUT', '/reports/goals/2025', GOALS, STEERING);
      expect(res.status).toBe(200);
      expect(res.body.goals.map((g: any) => [g.taskType, g.target, g.setBy])).toEqual([
        ['EXIT_INTAKE', 5, 'SIKKER_BY'],
        ['MENTOR', 4, 'SIKKER_BY'],
        ['PREVENTIVE_HOME_VISIT', 10, 'SIKKER_BY'],
      ]);
    }
    const read = await http(stack, 'GET', '/reports/goals/2025', undefined, { as: 'operativ-koordinator' });
    expect(read.body.goals).toHaveLength(3);
    const figures = await http(stack, 'PUT', '/reports/figures/2025', FIGURES, STEERING);
    expect(figures.status).toBe(200);
    expect(figures.body.figures.map((f: any) => [f.code, f.value, f.source])).toEqual([
      ['SKUDEPISODER', 3, 'Københavns Politi, 2025'],
      ['UTRYGHED', 18.5, 'Tryghedsundersøgelsen 2025'],
    ]);
  });

  it.each([
    ['/reports/goals/1999', 'year', 'must be a year from 2000 to 2100', GOALS],
    [
      '/reports/goals/2025',
      'goals.0.target',
      'must be a whole number from 0 to 1000000',
      { goals: [{ ...GOALS.goals[0], target: -1 }] },
    ],
    [
      '/reports/goals/2025',
      'goals.1',
      'appears more than once (PREVENTIVE_HOME_VISIT)',
      { goals: [GOALS.goals[0], GOALS.goals[0]] },
    ],
    [
      '/reports/figures/2025',
      'figures.0.source',
      'must not be blank',
      { figures: [{ ...FIGURES.figures[0], source: ' ' }] },
    ],
  ])('PUT %s with bad input is a 400 naming %s and changes nothing', async (route, field, reason, body) => {
    const res = await http(stack, 'PUT', route, body, STEERING);
    expect(res.status).toBe(400);
    expect(res.body.errors).toContainEqual({ field, reason });
    expect((await http(stack, 'GET', '/reports/goals/2025', undefined, STEERING)).body.goals).toHaveLength(3);
    expect((await http(stack, 'GET', '/reports/figures/2025', undefined, STEERING)).body.figures).toHaveLength(2);
  });
});

/** The CSV's lines as { table, row, column } → value. */
function csvCells(bytes: Buffer): Map<string, string> {
  // A byte-order mark first, for Danish Excel.
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.subarray(3).toString('utf8');
  const cells = new Map<string, string>();
  for (const line of text.trim().split('\r\n').slice(1)) {
    const fields = line.match(/("([^"]|"")*"|[^;]*)(;|$)/g)!.map((f) => f.replace(/;$/, '').replace(/^"|"$/g, ''));
    cells.set(`${fields[1]}|${fields[2]}|${fields[3]}`, fields[4]);
  }
  return cells;
}

describe('GET /reports/yearly/:year', () => {
  it('as CSV: goals vs actual, stages, outcomes and SLA with small numbers suppressed', async () => {
    const res = await fetch(`${stack.baseUrl}/reports/yearly/2025?format=csv`, {
      headers: { authorization: `Bearer ${await stack.tokenFor('sikker-by')}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="statusrapport-2025.csv"');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.toString('utf8')).not.toContain(CANARY_NAME);
    const cell = csvCells(bytes);
    const at = (table: string, row: string, column: string) => cell.get(`${table}|${row}|${column}`);
    // Goals: 4 people had a home visit (40 % of 10); 2 had mentoring: hidden, and so is its share of the goal.
    expect(
      ['Forebyggende hjemmebesøg', 'Mentorforløb', 'Exit-forløb startet'].map((g) => [
        at('Aktivitetsmål 2025', g, 'Opnået'),
        at('Aktivitetsmål 2025', g, 'Andel af mål'),
      ]),
    ).toEqual([
      ['4', '40 %'],
      ['<3', '<3'],
      ['0', '0 %'],
    ]);
    // Started per quarter [4, 1, 0, 3] of 8: the 1 is hidden, and the 3 with it (8 - 4 - 0 - 3 would give it back).
    const started = 'Forløb startet pr. kvartal 2025';
    expect(['Q1', 'Q2', 'Q3', 'Q4', 'I alt'].map((q) => at(started, q, 'Startet'))).toEqual(['4', '<3', '0', 'x', '8']);
    // Closed: COMPLETED [0, 3, 4, 0 | 7], DECLINED [0, 1, 5, 0 | 6]: the 1 is small; 5 hides it in its row, 3 in
    // its column, and then 4 in column Q3.
    const closed = 'Afsluttede forløb efter udfald og kvartal 2025';
    const line = (row: string) => ['Q1', 'Q2', 'Q3', 'Q4', 'I alt'].map((q) => at(closed, row, q));
    expect([line('Gennemført'), line('Takket nej'), line('Fraflyttet'), line('I alt')]).toEqual([
      ['0', 'x', 'x', '0', '7'],
      ['0', '<3', 'x', '0', '6'],
      ['0', '0', '0', '0', '0'],
      ['0', '4', '9', '0', '13'],
    ]);
    // Open pathways now: INTERVENTION 6, CUSTODY 2 (hidden, and the 6 with it).
    const stages = `Åbne forløb pr. fase (opgjort ${new Date().toISOString().slice(0, 10)})`;
    expect(['Indsats', 'Varetægt/afsoning', 'Vurdering', 'I alt'].map((s) => at(stages, s, 'Forløb'))).toEqual([
      'x',
      '<3',
      '0',
      '8',
    ]);
    // SLA: SSP 5 tasks for 4 people, 4 on time, the late one 12 hours; EKI's 2 people hidden, and since the total
    // (7) would give EKI's count back, SSP's count and figures go too. The same per month: May hidden, March with it.
    const agency = (a: string) =>
      ['Løste opgaver', 'Til tiden', 'Median forsinkelse'].map((c) => at('Pr. myndighed 2025', a, c));
    expect([agency('EKI'), agency('SSP'), agency('I alt')]).toEqual([
      ['<3', '<3', '<3'],
      ['x', 'x', 'x'],
      ['7', '86 %', '12 t'],
    ]);
    expect(['mar', 'apr', 'maj', 'I alt'].map((m) => at('Pr. måned 2025', m, 'Løste opgaver'))).toEqual([
      'x',
      '0',
      '<3',
      '7',
    ]);
    expect(at('Tal fra andre kilder 2025', 'Andel der føler sig utrygge', 'Kilde')).toBe('Tryghedsundersøgelsen 2025');
    expect(at('Tal fra andre kilder 2025', 'Andel der føler sig utrygge', 'Værdi')).toBe('18,5 %');
  });

  it('as PDF with the Danish headings (read back with pdftotext)', async () => {
    const res = await fetch(`${stack.baseUrl}/reports/yearly/2025`, {
      headers: { authorization: `Bearer ${await stack.tokenFor('sikker-by')}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const dir = mkdtempSync(path.join(tmpdir(), 'exit-report-'));
    try {
      const file = path.join(dir, 'report.pdf');
      writeFileSync(file, pdf);
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      for (const heading of [
        'Fælles årlig statusrapport 2025',
        '1. Aktivitetsmål og opnåede resultater',
        '2. Forløb: faser og afslutninger',
        '3. Overholdelse af frister (SLA)',
        '4. Tal fra andre kilder',
        '5. Metode og datagrundlag',
      ]) {
        expect(text).toContain(heading);
      }
      expect(text).toMatch(/Forebyggende hjemmebesøg\s+10\s+4\s+40 %/);
      expect(text).toMatch(/Mentorforløb\s+4\s+<3\s+<3/);
      expect(text).toMatch(/I alt\s+7\s+86 %\s+12 t/);
      expect(text).not.toContain(CANARY_NAME);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is refused to an agency without oversight and for a year that is not one; audited as statistics', async () => {
    expect((await http(stack, 'GET', '/reports/yearly/2025', undefined, { as: 'ssp-sagsbehandler' })).status).toBe(403);
    const bad = await http(stack, 'GET', '/reports/yearly/25?format=doc', undefined, STEERING);
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ field: 'format', reason: 'must be pdf or csv' }]);
    const badYear = await http(stack, 'GET', '/reports/yearly/25', undefined, STEERING);
    expect(badYear.body.errors).toEqual([{ field: 'year', reason: 'must be a year from 2000 to 2100' }]);
    const audits = await stack.db.query(
      `SELECT action, pathway_id, legal_basis FROM audit_log WHERE legal_basis LIKE '%yearly report%'`,
    );
    expect(audits).toHaveLength(2);
    expect(audits.every((a: any) => a.action === 'STATISTICS' && a.pathway_id === null)).toBe(true);
  });
});

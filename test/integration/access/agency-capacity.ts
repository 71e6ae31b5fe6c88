// GET /agencies/{code}/capacity: a team lead's view of its own agency's people (Kapacitet per person), on claims and
// sign-ins written straight into the read model: who holds how much, what is overdue, and who has taken no action for
// absentDays days. Counts and the staff's own names only: never the citizen behind a task, never a pathway id.
import { randomUUID } from 'node:crypto';
import { eventually } from '../../support/drill';
import { http, startStack, type TestStack } from '../../support/stack';

const DAY = 86_400_000;
const CANARY_NAME = 'Kanariefugl Kapacitetsen';
const LEAD = { as: 'ssp-teamleder' };

let stack: TestStack;
const now = Date.now();
const ago = (days: number) => new Date(now - days * DAY).toISOString();
const ahead = (days: number) => new Date(now + days * DAY).toISOString();
const pathwayId = randomUUID();

async function seedTask(
  agency: string,
  status: 'OPEN' | 'CLAIMED',
  dueAt: string,
  assignee?: string,
  claimedAt?: string,
) {
  const id = randomUUID();
  await stack.db.query(
    `INSERT INTO tasks (id, pathway_id, task_key, stage, agency_code, type, title, status, created_at, due_at,
                        assignee, version)
     VALUES ($1, $2, $3, 'INTERVENTION', $4, 'MENTOR', 'Opgave', $5, $6, $7, $8, 1)`,
    [id, pathwayId, `key-${id}`, agency, status, ago(20), dueAt, assignee ?? null],
  );
  // The claim as the projection writes it: a timeline entry (the migration's trigger keeps the first).
  if (claimedAt)
    await stack.db.query(
      `INSERT INTO timeline_entries (id, pathway_id, sequence, at, kind, agency_code, task_id, detail)
       VALUES ($1, $2, (SELECT coalesce(max(sequence), 0) + 1 FROM timeline_entries), $3, 'TASK_CLAIMED', $4, $5, '{}')`,
      [`claim-${id}`, pathwayId, claimedAt, agency, id],
    );
}

beforeAll(async () => {
  stack = await startStack({ worker: false });
  await stack.db.query(
    `INSERT INTO playbooks (version, name, definition) VALUES (1, 'test', '{}') ON CONFLICT DO NOTHING`,
  );
  await stack.db.query(
    `INSERT INTO pathways (id, workflow_id, stage, district, playbook_version, opened_at, last_progress_at, version,
                           stage_entered_at)
     VALUES ($1, $2, 'INTERVENTION', 'YDRE_NORREBRO', 1, $3, $3, 1, $3)`,
    [pathwayId, `pathway-${pathwayId}`, ago(30)],
  );
  await stack.db.query(
    `INSERT INTO persons (pathway_id, name, birth_date, contact_source_agency, contact_occurred_at, contact_context)
     VALUES ($1, $2, '2009-04-17', 'POLICE_LOCAL', $3, 'Set sammen med kendte medlemmer')`,
    [pathwayId, CANARY_NAME, ago(30)],
  );
  // SSP A (here yesterday) holds two, one overdue; SSP B (last here 10 days ago, claimed 12 days ago) holds one,
  // overdue; SSP C (last here 30 days ago) holds nothing. Two SSP tasks are unclaimed; EKI's work is not SSP's.
  await seedTask('SSP', 'CLAIMED', ago(1), 'ssp-a', ago(3));
  await seedTask('SSP', 'CLAIMED', ahead(5), 'ssp-a', ago(2));
  await seedTask('SSP', 'CLAIMED', ago(2), 'ssp-b', ago(12));
  await seedTask('SSP', 'OPEN', ahead(4));
  await seedTask('SSP', 'OPEN', ago(1));
  await seedTask('EKI', 'CLAIMED', ago(1), 'eki-a', ago(1));
  await seedTask('EKI', 'OPEN', ahead(1));
  await stack.db.query(
    `INSERT INTO users (user_id, display_name, agency_code, roles, first_seen_at, last_seen_at)
     VALUES ('ssp-a', 'SSP A', 'SSP', '{CASEWORKER}', $1, $2), ('ssp-b', 'SSP B', 'SSP', '{CASEWORKER}', $1, $3),
            ('ssp-c', 'SSP C', 'SSP', '{CASEWORKER}', $1, $4), ('eki-a', 'EKI A', 'EKI', '{CASEWORKER}', $1, $2)`,
    [ago(100), ago(1), ago(10), ago(30)],
  );
});

afterAll(async () => {
  await stack?.stop();
});

const row = (p: any) => [p.userId, p.displayName, p.claimed, p.overdue, p.absent];

describe('GET /agencies/{code}/capacity', () => {
  it("the team lead sees each of its agency's people: claimed, overdue, last action, absent after 7 days", async () => {
    // The team lead itself is known from its own requests: written beside the request, never in its way
    // (apps/api/src/auth/known-users.ts), so a busy machine may answer the first one before that row is in.
    const res = await eventually(
      () => http(stack, 'GET', '/agencies/SSP/capacity', undefined, LEAD),
      (r) => r.status !== 200 || r.body.people.some((p: any) => p.userId === 'ssp-teamleder'),
      10_000,
    );
    expect(res.status).toBe(200);
    expect([res.body.agency, res.body.absentDays, res.body.unassigned]).toEqual(['SSP', 7, 2]);
    // The team lead: no work, not absent.
    expect(res.body.people.map(row)).toEqual([
      ['ssp-a', 'SSP A', 2, 1, false],
      ['ssp-b', 'SSP B', 1, 1, true],
      ['ssp-c', 'SSP C', 0, 0, true],
      ['ssp-teamleder', 'Teamleder, SSP København', 0, 0, false],
    ]);
    const by = Object.fromEntries(res.body.people.map((p: any) => [p.userId, p]));
    expect([by['ssp-b'].lastSeenAt, by['ssp-b'].lastActionAt]).toEqual([ago(10), ago(10)]);
    expect([by['ssp-a'].lastSeenAt, by['ssp-a'].lastActionAt]).toEqual([ago(1), ago(1)]);
    expect(JSON.stringify(res.body)).not.toMatch(new RegExp(`${CANARY_NAME}|${pathwayId}|eki-a`));
  });

  it('absentDays widens the window: after 14 days only SSP C is absent; 400 naming absentDays otherwise', async () => {
    const res = await http(stack, 'GET', '/agencies/SSP/capacity?absentDays=14', undefined, LEAD);
    expect(res.status).toBe(200);
    expect(res.body.absentDays).toBe(14);
    expect(res.body.people.filter((p: any) => p.absent).map((p: any) => p.userId)).toEqual(['ssp-c']);
    for (const value of ['0', '91', 'x', '7.5']) {
      const bad = await http(stack, 'GET', `/agencies/SSP/capacity?absentDays=${value}`, undefined, LEAD);
      expect(bad.status).toBe(400);
      expect(bad.body.errors).toEqual([{ field: 'absentDays', reason: 'must be a whole number from 1 to 90' }]);
    }
  });

  it("only a team lead, and only of its own agency: 403 for a caseworker, another agency's, a coordinator", async () => {
    for (const [path, as] of [
      ['/agencies/SSP/capacity', 'ssp-sagsbehandler'],
      ['/agencies/EKI/capacity', 'ssp-teamleder'],
      ['/agencies/SSP/capacity', 'eki-sagsbehandler'],
      ['/agencies/SSP/capacity', 'koordinator'],
    ]) {
      const res = await http(stack, 'GET', path, undefined, { as });
      expect([path, as, res.status]).toEqual([path, as, 403]);
      expect(JSON.stringify(res.body)).not.toMatch(/SSP A|ssp-a/);
    }
    expect((await http(stack, 'GET', '/agencies/SSP/capacity', undefined, { as: 'anonymous' })).status).toBe(401);
  });
});

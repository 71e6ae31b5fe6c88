// What one POST /pathways costs the API in database round trips (docs/PERFORMANCE.md, "What bounds a start"), and
// the short-lived reference data that saves most of them (apps/api/src/core/reference-data.ts): a playbook published
// or a district changed through the API is seen by the next start at once; nothing about a person is kept.
import { randomUUID } from 'node:crypto';
import playbookV1 from '../../../libs/domain/playbooks/v1.json';
import { REFERENCE_DATA_TTL_MS } from '../../../apps/api/src/core/reference-data';
import { countStatements, type StatementCount } from '../../support/sql-count';
import { http, pathwayRequest, startStack, type TestStack } from '../../support/stack';

const CASEWORKER = 'lokalpoliti-sagsbehandler';

describe('statements per start', () => {
  let stack: TestStack;
  let count: StatementCount;
  beforeAll(async () => {
    stack = await startStack();
    count = countStatements(stack.apiDb);
  });
  afterAll(async () => {
    count?.stop();
    await stack?.stop();
  });

  /** A start as the benchmark makes it (scripts/bench.ts): a caseworker, with an Idempotency-Key; its statements. */
  async function start(name: string, age: number, district?: string) {
    // Signed in and seen before counting: the token check and the users row are not the start's.
    await http(stack, 'GET', '/districts', undefined, { as: CASEWORKER });
    count.reset();
    const res = await http(stack, 'POST', '/pathways', pathwayRequest({ name, age, district }), {
      as: CASEWORKER,
      'Idempotency-Key': randomUUID(),
    });
    return { res, statements: [...count.statements] };
  }

  it('sends 13 statements for a start once agencies, districts and the playbook pin are known (23 before)', async () => {
    const first = await start('Alfa Holm', 15);
    expect(first.res.status).toBe(201);
    // The first start in the process reads the reference data; the next ones within a few seconds do not.
    expect(first.statements.filter((s) => /agencies|districts|playbooks/.test(s))).not.toEqual([]);
    const next = await start('Bravo Dahl', 16);
    expect(next.res.status).toBe(201);
    expect(next.statements.filter((s) => /agencies|districts|playbooks/.test(s))).toEqual([]);
    // The idempotency key, the command key, the person key, the read-back (pathway, person, tasks, timeline), the
    // audit row (its transaction: BEGIN, the chain's lock, the last hash, the row, COMMIT) and the kept answer.
    expect(next.statements).toHaveLength(13);
  });

  it('answers as before: the read-back is the answer, and the audit row has the basis of the person it names', async () => {
    const { res } = await start('Charlie Krogh', 16);
    expect(res.status).toBe(201);
    const read = await http(stack, 'GET', `/pathways/${res.body.id}`, undefined, { as: 'koordinator' });
    expect(res.body).toEqual(read.body);
    const rows = await stack.db.query(
      `SELECT action, legal_basis_code FROM audit_log WHERE pathway_id = $1 ORDER BY id`,
      [res.body.id],
    );
    // A 16-year-old without consent: the SSP basis (libs/domain/src/audit.ts), as when the row read its own facts.
    expect(rows).toEqual([
      { action: 'OPEN_PATHWAY', legal_basis_code: 'SSP' },
      { action: 'READ_PATHWAY', legal_basis_code: 'SSP' },
    ]);
  });

  it('pins the next start to a playbook published through this API at once', async () => {
    const before = await start('Delta Lund', 20);
    expect(before.res.body.playbookVersion).toBe(1);
    const v2 = { ...structuredClone(playbookV1), version: 2, name: 'Anden udgave' };
    // Version 1's information task for the investigation unit is refused in any playbook published since.
    v2.stages.INTERVENTION.tasks = v2.stages.INTERVENTION.tasks.filter((t) => t.agency !== 'POLICE_OC');
    const published = await http(stack, 'POST', '/playbooks', v2, { as: 'operativ-koordinator' });
    expect(published.status).toBe(201);
    const after = await start('Echo Bang', 20);
    expect(after.res.status).toBe(201);
    expect(after.res.body.playbookVersion).toBe(2);
  });

  it('refuses a district switched off through this API at once, and takes it again when switched on', async () => {
    const put = (active: boolean) =>
      http(stack, 'PUT', '/districts/TINGBJERG', { name: 'Tingbjerg', focus: true, active }, { as: 'sikker-by' });
    expect((await start('Foxtrot Juul', 20, 'TINGBJERG')).res.status).toBe(201);
    expect((await put(false)).status).toBe(200);
    const refused = await start('Golf Hviid', 20, 'TINGBJERG');
    expect(refused.res.status).toBe(400);
    expect(refused.res.body.errors[0]).toMatchObject({ field: 'person.district' });
    expect((await put(true)).status).toBe(200);
    expect((await start('Golf Hviid', 20, 'TINGBJERG')).res.status).toBe(201);
  });

  it(`refuses an agency switched off in the agencies table within ${REFERENCE_DATA_TTL_MS / 1000} s`, async () => {
    expect((await start('Hotel Brink', 20)).res.status).toBe(201);
    await stack.db.query(`UPDATE agencies SET active = false WHERE code = 'POLICE_LOCAL'`);
    try {
      await new Promise((resolve) => setTimeout(resolve, REFERENCE_DATA_TTL_MS));
      const refused = await start('India Kjær', 20);
      expect(refused.res.status).toBe(400);
      expect(refused.res.body.errors).toEqual([
        { field: 'contact.sourceAgency', reason: "unknown agency 'POLICE_LOCAL'" },
      ]);
    } finally {
      await stack.db.query(`UPDATE agencies SET active = true WHERE code = 'POLICE_LOCAL'`);
    }
  });
});

// The audit trail as evidence, over HTTP against the real API, worker, Temporal and PostgreSQL: every read and every
// refused attempt is a row with purpose, legal basis, request id and result; the rows are hash-chained and the
// application's own database role cannot rewrite or delete them; an auditor pages through them, verifies the chain
// (and sees where the owner changed a row) and answers a person's access request.
import { Client } from 'pg';
import { LEGAL_BASES } from '../../../libs/domain/src';
import { appDatabaseUrl } from '../../../libs/persistence/src';
import { AuditRepository, type AuditEntry } from '../../../libs/persistence/src/audit.repository';
import { http, pathwayRequest, startStack, type TestStack } from '../../support/stack';

describe('audit trail', () => {
  let stack: TestStack;
  let pathwayId: string;

  beforeAll(async () => {
    stack = await startStack();
    const created = await http(stack, 'POST', '/pathways', pathwayRequest({ name: 'Revision Testperson', age: 16 }), {
      as: 'lokalpoliti-sagsbehandler',
    });
    expect(created.status).toBe(201);
    pathwayId = created.body.id;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('records each read and each refused attempt with purpose, legal basis, request id and result', async () => {
    const read = await http(stack, 'GET', `/pathways/${pathwayId}`, undefined, {
      as: 'operativ-gruppe',
      'x-request-id': 'audit-test-read-0001',
    });
    expect(read.status).toBe(200);
    const refused = await http(stack, 'GET', `/pathways/${pathwayId}/timeline`, undefined, {
      as: 'ssp-sagsbehandler',
      'x-request-id': 'audit-test-refused-0001',
    });
    expect(refused.status).toBe(403);

    const page = await http(stack, 'GET', `/audit?pathwayId=${pathwayId}`, undefined, { as: 'revisor' });
    expect(page.status).toBe(200);
    // Newest first.
    expect(page.body.items.map((r: any) => [r.action, r.actorUserId, r.result])).toEqual([
      ['pathway.timeline', 'ssp-sagsbehandler', 'REFUSED'],
      ['READ_PATHWAY', 'operativ-gruppe', 'ALLOWED'],
      ['OPEN_PATHWAY', 'lokalpoliti-sagsbehandler', 'ALLOWED'],
    ]);
    const [no, yes] = page.body.items;
    expect(yes).toMatchObject({
      actorAgency: 'OPERATIVE_GROUP',
      actorRoles: ['OPERATIVE_GROUP'],
      pathwayId,
      purpose: 'PREVENTION',
      // A 16-year-old without consent: the SSP cooperation's basis.
      legalBasisCode: 'SSP',
      legalBasis: 'Retsplejeloven § 115 (SSP-samarbejdet)',
      requestId: 'audit-test-read-0001',
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(no).toMatchObject({
      actorAgency: 'SSP',
      requestId: 'audit-test-refused-0001',
      reason: 'only the coordinators and the operative group may do this',
    });
    // The trail names people by user id and pathways by id, never by name.
    expect(JSON.stringify(page.body)).not.toContain('Revision');
  });

  it('is for the auditors only, pages by cursor and filters by result, person and time', async () => {
    for (const as of ['koordinator', 'operativ-gruppe', 'sikker-by', 'admin']) {
      expect((await http(stack, 'GET', '/audit', undefined, { as })).status).toBe(403);
      expect((await http(stack, 'GET', '/audit/verify', undefined, { as })).status).toBe(403);
    }
    expect((await http(stack, 'GET', '/audit', undefined, { as: 'anonymous' })).status).toBe(401);
    // Those refusals are rows too.
    const refusals = await http(stack, 'GET', '/audit?result=REFUSED&actorUserId=admin', undefined, { as: 'revisor' });
    expect(refusals.body.items.map((r: any) => r.action)).toEqual(['audit.verify', 'audit.read']);

    const first = await http(stack, 'GET', '/audit?limit=2', undefined, { as: 'revisor' });
    expect(first.body.items).toHaveLength(2);
    const second = await http(stack, 'GET', `/audit?limit=2&cursor=${first.body.nextCursor}`, undefined, {
      as: 'revisor',
    });
    expect(second.status).toBe(200);
    const ids = [...first.body.items, ...second.body.items].map((r: any) => Number(r.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(new Set(ids).size).toBe(4);

    const future = await http(stack, 'GET', '/audit?from=2999-01-01T00:00:00Z', undefined, { as: 'revisor' });
    expect(future.body).toEqual({ items: [], nextCursor: null });
    const bad = await http(stack, 'GET', '/audit?from=yesterday&result=MAYBE&cursor=nope', undefined, {
      as: 'revisor',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: any) => e.field).sort()).toEqual(['from', 'result']);
  });

  it('answers a person’s access request: who looked, when and why, without the refused attempts', async () => {
    const report = await http(stack, 'GET', `/persons/${pathwayId}/access-report`, undefined, { as: 'revisor' });
    expect(report.status).toBe(200);
    expect(report.body.personId).toBe(pathwayId);
    expect(report.body.items.map((r: any) => [r.actorAgency, r.actorUserId, r.action, r.purpose])).toEqual([
      ['POLICE_LOCAL', 'lokalpoliti-sagsbehandler', 'OPEN_PATHWAY', 'PREVENTION'],
      ['OPERATIVE_GROUP', 'operativ-gruppe', 'READ_PATHWAY', 'PREVENTION'],
      // GET /audit?pathwayId= above: the auditor's look is a look too.
      ['SIKKER_BY', 'revisor', 'READ_AUDIT', 'CONTROL'],
    ]);
    expect(report.body.items[1].legalBasis).toBe('Retsplejeloven § 115 (SSP-samarbejdet)');
    expect(JSON.stringify(report.body)).not.toContain('Revision');
    const unknown = '0b5f6c3e-6d3a-4f7e-9a53-1f0e8a0c0c11';
    expect((await http(stack, 'GET', `/persons/${unknown}/access-report`, undefined, { as: 'revisor' })).status).toBe(
      404,
    );
    expect(
      (await http(stack, 'GET', `/persons/${pathwayId}/access-report`, undefined, { as: 'koordinator' })).status,
    ).toBe(403);
  });

  it('cannot be changed or deleted by the application’s own database role', async () => {
    // The API's and the worker's connections are the application's role, not the owner's.
    const users: { usename: string }[] = await stack.db.query(
      `SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    );
    expect(users.map((u) => u.usename)).toContain('exit_pathways_app');

    const app = new Client({ connectionString: appDatabaseUrl(stack.databaseUrl) });
    await app.connect();
    try {
      expect((await app.query('SELECT current_user AS u')).rows[0].u).toBe('exit_pathways_app');
      const rows = Number((await app.query('SELECT count(*) AS n FROM audit_log')).rows[0].n);
      expect(rows).toBeGreaterThan(3);
      for (const tamper of [
        `UPDATE audit_log SET actor_agency = 'NOBODY'`,
        `DELETE FROM audit_log`,
        `TRUNCATE audit_log`,
        `ALTER TABLE audit_log DISABLE TRIGGER ALL`,
      ]) {
        await expect(app.query(tamper)).rejects.toMatchObject({
          code: expect.stringMatching(/^(42501)$/),
        });
      }
      expect(Number((await app.query('SELECT count(*) AS n FROM audit_log')).rows[0].n)).toBe(rows);
      // It still writes the read model.
      await expect(app.query(`UPDATE pathways SET stage = stage WHERE id = $1`, [pathwayId])).resolves.toBeDefined();
    } finally {
      await app.end();
    }
  });

  it('keeps the chain one line when many write at once, in shared commits, and a refused row fails only its caller', async () => {
    const audit = new AuditRepository(stack.db);
    const entry = (requestId: string, pathway = pathwayId): AuditEntry => ({
      actor: 'EKI',
      action: 'READ_PATHWAY',
      pathwayId: pathway,
      purpose: 'PREVENTION',
      legalBasis: LEGAL_BASES.SSP,
      requestId,
    });
    const count = async (prefix: string) =>
      Number(
        (await stack.db.query(`SELECT count(*) AS n FROM audit_log WHERE request_id LIKE $1`, [`${prefix}%`]))[0].n,
      );

    // Forty requests' rows at once: the first is appended alone, the 39 that came while it was under way together.
    const together = await Promise.allSettled(Array.from({ length: 40 }, (_, i) => audit.record(entry(`gc-${i}`))));
    expect(together.every((r) => r.status === 'fulfilled')).toBe(true);
    expect(await count('gc-')).toBe(40);
    expect(audit.commits).toBe(2);

    // One row the database refuses (no uuid) among twenty: nineteen callers are answered, only that one hears why.
    const mixed = await Promise.allSettled([
      audit.record(entry('mix-first')),
      ...Array.from({ length: 19 }, (_, i) => audit.record(entry(`mix-${i}`, i === 7 ? 'not-a-uuid' : pathwayId))),
    ]);
    expect(mixed.filter((r) => r.status === 'rejected')).toHaveLength(1);
    expect(mixed[8]).toMatchObject({ status: 'rejected' });
    expect(await count('mix-')).toBe(19);

    expect(await audit.verify()).toMatchObject({ intact: true });
  });

  it('verifies the chain, and names the first row the owner changed or removed', async () => {
    const intact = await http(stack, 'GET', '/audit/verify', undefined, { as: 'revisor' });
    expect(intact.status).toBe(200);
    const total = Number((await stack.db.query('SELECT count(*) AS n FROM audit_log'))[0].n);
    // Every row before this verification's own.
    expect(intact.body).toEqual({ intact: true, checked: total - 1 });

    // The owner (here the test's superuser connection) rewrites who read the person.
    const [read]: { id: string; actor_agency: string }[] = await stack.db.query(
      `SELECT id::text AS id, actor_agency FROM audit_log WHERE pathway_id = $1 AND action = 'READ_PATHWAY'`,
      [pathwayId],
    );
    await stack.db.query(`UPDATE audit_log SET actor_agency = 'SSP' WHERE id = $1`, [read.id]);
    const changed = await http(stack, 'GET', '/audit/verify', undefined, { as: 'revisor' });
    expect(changed.body).toMatchObject({ intact: false, firstBroken: { id: read.id, problem: 'HASH' } });

    await stack.db.query(`UPDATE audit_log SET actor_agency = $2 WHERE id = $1`, [read.id, read.actor_agency]);
    expect((await http(stack, 'GET', '/audit/verify', undefined, { as: 'revisor' })).body.intact).toBe(true);

    // A row removed: the next row's link no longer fits.
    await stack.db.query(`DELETE FROM audit_log WHERE id = $1`, [read.id]);
    const removed = await http(stack, 'GET', '/audit/verify', undefined, { as: 'revisor' });
    const [next]: { id: string }[] = await stack.db.query(
      `SELECT id::text AS id FROM audit_log WHERE id > $1 ORDER BY audit_log.id LIMIT 1`,
      [read.id],
    );
    expect(removed.body).toMatchObject({ intact: false, firstBroken: { id: next.id, problem: 'LINK' } });
  });
});

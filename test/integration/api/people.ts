// People (issue 10, item 7) through HTTP on the real stack (API, worker, Temporal, PostgreSQL): the coordinators'
// search by name and birth date over the blind index, the duplicate warning when a pathway is opened for someone
// who looks known (409 DUPLICATE_SUSPECTED, overridable with a reason), and the correction of a birth date that
// reaches the running workflow and re-plans the work that hangs on the age. Every step audited.
import { PersonKeys, PersonSearchIndex, PersonSearchRepository } from '../../../libs/persistence/src';
import { CONTACT_WORKER, birthDateForAge, http, pathwayRequest, startStack, type TestStack } from '../../support/stack';

const hourAgo = () => new Date(Date.now() - 3600_000).toISOString();
const COORDINATOR = { as: 'koordinator' };

describe('people: search, duplicate warning, correction', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ playbook: 2 });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** A pathway opened by the coordinator (POLICE_EAS) for this person. */
  function request(name: string, birthDate: string, extra: object = {}) {
    const body = pathwayRequest({ sourceAgency: 'POLICE_EAS' });
    return { ...body, person: { ...body.person, name, birthDate }, ...extra };
  }
  const start = (name: string, birthDate: string, extra: object = {}, headers: object = {}) =>
    http(stack, 'POST', '/pathways', request(name, birthDate, extra), { ...COORDINATOR, ...headers });
  const search = (query: string, as = 'koordinator') => http(stack, 'GET', `/persons?${query}`, undefined, { as });
  const audit = async (action: string): Promise<{ pathway_id: string | null; detail: any; item_count: number }[]> =>
    stack.db.query(`SELECT pathway_id, detail, item_count FROM audit_log WHERE action = $1 ORDER BY id`, [action]);

  describe('search', () => {
    let soeren: string;
    let ali: string;
    beforeAll(async () => {
      const a = await start('Søren Østergård Nielsen', '2009-04-03');
      const b = await start('Ali Hassan', '1999-11-20');
      expect([a.status, b.status]).toEqual([201, 201]);
      [soeren, ali] = [a.body.id, b.body.id];
    });

    it('finds by name words however æ/ø/å and case are written, by birth date, and by both', async () => {
      const byName = await search('name=soeren%20OESTERGAARD');
      expect(byName.status).toBe(200);
      expect(byName.body).toEqual({
        items: [
          {
            personId: soeren,
            name: 'Søren Østergård Nielsen',
            birthDate: '2009-04-03',
            pathways: [{ id: soeren, stage: 'CONTACT', status: 'OPEN', openedAt: expect.any(String) }],
          },
        ],
        truncated: false,
      });
      expect((await search('birthDate=1999-11-20')).body.items.map((p: any) => p.personId)).toEqual([ali]);
      expect((await search('name=Hassan&birthDate=1999-11-20')).body.items).toHaveLength(1);
      // Every word must match; a part of a word is not a word.
      expect((await search('name=Ali%20Nielsen')).body.items).toEqual([]);
      expect((await search('name=Hass')).body.items).toEqual([]);
      expect((await search('name=Hassan&birthDate=1999-11-21')).body.items).toEqual([]);
    });

    it('is for coordinators only; bad input is a 400 naming the field', async () => {
      for (const as of ['lokalpoliti-sagsbehandler', 'operativ-gruppe', 'revisor'])
        expect((await search('name=Hassan', as)).status).toBe(403);
      const none = await search('');
      expect([none.status, none.body.errors]).toEqual([
        400,
        [{ field: 'name', reason: 'give a name, a birth date or both' }],
      ]);
      const badDate = await search('birthDate=1999-02-30');
      expect(badDate.status).toBe(400);
      expect(badDate.body.errors[0].field).toBe('birthDate');
      const initial = await search('name=A');
      expect([initial.status, initial.body.errors?.[0]?.field]).toEqual([400, 'name']);
    });

    it('writes one audit row per search with what it searched by, never the words; the index holds no names', async () => {
      const before = (await audit('SEARCH_PERSONS')).length;
      await search('name=Hassan&birthDate=1999-11-20');
      const rows = await audit('SEARCH_PERSONS');
      expect(rows).toHaveLength(before + 1);
      expect(rows.at(-1)).toEqual({
        pathway_id: null,
        detail: { by: 'name+birthDate', pathways: ali },
        item_count: 1,
      });
      expect(JSON.stringify(rows)).not.toMatch(/hassan/i);
      const tokens: { token: string }[] = await stack.db.query(
        `SELECT token FROM person_search_tokens WHERE pathway_id = $1`,
        [ali],
      );
      // Two words, the full name, the birth date: keyed hashes, nothing readable.
      expect(tokens).toHaveLength(4);
      for (const { token } of tokens) expect(token).toMatch(/^[0-9a-f]{64}$/);
    });
  });

  it('the worker indexes persons without tokens at start, and drops the tokens of an earlier key', async () => {
    const created = await start('Bent Bagefter', '2001-01-01');
    const id = created.body.id;
    await stack.db.query(`DELETE FROM person_search_tokens WHERE pathway_id = $1`, [id]);
    await stack.db.query(`INSERT INTO person_search_tokens (token, pathway_id, key_id) VALUES ('old', $1, 'old-key')`, [
      id,
    ]);
    expect((await search('name=bagefter')).body.items).toEqual([]);
    // The row holds no name in clear: the backfill opens it with the person's own key.
    expect(
      await stack.db.query(`SELECT name, sealed IS NOT NULL AS sealed FROM persons WHERE pathway_id = $1`, [id]),
    ).toEqual([{ name: null, sealed: true }]);
    // What TemporalWorkerService runs before it polls, with the same (development) key as this stack.
    const keys = new PersonKeys(stack.db, stack.temporal.payloadKeys);
    expect(await new PersonSearchRepository(stack.db, new PersonSearchIndex(), keys).backfill()).toBe(1);
    expect((await search('name=bagefter')).body.items.map((p: any) => p.personId)).toEqual([id]);
    expect(await stack.db.query(`SELECT 1 FROM person_search_tokens WHERE key_id = 'old-key'`)).toEqual([]);
  });

  describe('duplicate warning', () => {
    let first: string;
    beforeAll(async () => {
      const created = await start('Mikkel Aabenraa', '2008-06-12');
      expect(created.status).toBe(201);
      first = created.body.id;
    });

    it('the same birth date and a name word in common: 409 DUPLICATE_SUSPECTED with the candidate; nothing started', async () => {
      const pathwaysBefore = Number((await stack.db.query('SELECT count(*) AS n FROM pathways'))[0].n);
      const res = await start('Mikkel Jensen Åbenrå', '2008-06-12');
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({
        code: 'DUPLICATE_SUSPECTED',
        candidates: [
          {
            pathwayId: first,
            name: 'Mikkel Aabenraa',
            birthDate: '2008-06-12',
            stage: 'CONTACT',
            match: 'BIRTH_DATE_AND_NAME_WORD',
          },
        ],
      });
      expect(Number((await stack.db.query('SELECT count(*) AS n FROM pathways'))[0].n)).toBe(pathwaysBefore);
      // Showing the candidate is a read of that person's pathway.
      expect((await audit('DUPLICATE_WARNING')).map((r) => r.pathway_id)).toContain(first);
    });

    it('the same full name and a birth date a typing slip away (day and month swapped, one digit) is warned too', async () => {
      for (const birthDate of ['2008-12-06', '2008-06-13', '2009-06-12']) {
        const res = await start('mikkel aabenraa', birthDate);
        expect([res.status, res.body.candidates?.[0]?.match]).toEqual([409, 'NAME_AND_BIRTH_DATE_SLIP']);
      }
      // Two digits off, or another name on another date: no warning.
      const other = await start('Mikkel Aabenraa', '2008-07-13');
      expect(other.status).toBe(201);
    });

    it('overridden with a reason: started, the reason audited; a blank reason is a 400 naming the field', async () => {
      const blank = await start('Mikkel Aabenraa', '2008-06-12', { duplicateOverride: { reason: '  ' } });
      expect([blank.status, blank.body.errors?.[0]?.field]).toEqual([400, 'duplicateOverride.reason']);
      const reason = 'Fætter med samme navn og fødselsdag; bekræftet af SSP';
      const key = 'dup-override-1';
      // One body sent twice, as a client's retry sends it.
      const body = request('Mikkel Aabenraa', '2008-06-12', { duplicateOverride: { reason } });
      const send = () => http(stack, 'POST', '/pathways', body, { ...COORDINATOR, 'idempotency-key': key });
      const started = await send();
      expect(started.status).toBe(201);
      // One row for the request: the OPEN_PATHWAY row carries the override's reason and candidates.
      const rows = await audit('OPEN_PATHWAY');
      expect(rows.at(-1)).toMatchObject({ pathway_id: started.body.id, detail: { duplicateOverride: reason } });
      expect(rows.at(-1)!.detail.candidates.split(',')).toContain(first);
      // The Idempotency-Key still answers a repeat with the same pathway, not with a warning about itself.
      const again = await send();
      expect([again.status, again.body.id]).toEqual([200, started.body.id]);
    });

    it('a caseworker opening for their own agency is not warned: the warning would tell who is known', async () => {
      const body = pathwayRequest({ sourceAgency: 'POLICE_LOCAL' });
      const res = await http(
        stack,
        'POST',
        '/pathways',
        { ...body, person: { ...body.person, name: 'Mikkel Aabenraa', birthDate: '2008-06-12' } },
        { as: 'lokalpoliti-sagsbehandler' },
      );
      expect(res.status).toBe(201);
      expect(res.body.candidates).toBeUndefined();
    });
  });

  describe('correction', () => {
    const correct = (id: string, body: object, as = 'koordinator') =>
      http(stack, 'POST', `/pathways/${id}/person-correction`, body, { as });

    /** Someone recorded as 21, assessed for Exit KK with consent: EKI and Jobcenter have work. */
    async function adultInExit(name: string): Promise<string> {
      const created = await start(name, '2005-01-15');
      expect(created.status).toBe(201);
      for (const task of created.body.tasks)
        await http(
          stack,
          'POST',
          `/tasks/${task.id}/complete`,
          { outcome: 'DONE' },
          { as: CONTACT_WORKER[task.agency] },
        );
      const id = created.body.id;
      const record = (type: string, data?: object) =>
        http(
          stack,
          'POST',
          `/pathways/${id}/events`,
          { type, occurredAt: hourAgo(), ...(data ? { data } : {}) },
          {
            as: 'operativ-koordinator',
          },
        );
      expect((await record('ASSESSED', { track: 'EXIT_KK', reasons: 'Ønsker exit' })).status).toBe(200);
      expect((await record('CONSENT_GIVEN')).status).toBe(200);
      return id;
    }

    it('a corrected birth date making the person 16 cancels the adult work, and the record and search follow', async () => {
      const id = await adultInExit('Jonas Korrektur');
      const before = (await http(stack, 'GET', `/pathways/${id}`, undefined, COORDINATOR)).body;
      const adultWork = before.tasks.filter((t: any) => ['EKI', 'JOBCENTER'].includes(t.agency) && t.status === 'OPEN');
      expect(adultWork.length).toBeGreaterThan(0);
      // 16 and a month: 17½ is months away.
      const birthDate = birthDateForAge(16);
      const res = await correct(id, { birthDate, reason: 'Fødselsdato rettet efter CPR-opslag' });
      expect(res.status).toBe(200);
      expect(res.body.person).toEqual({ name: 'Jonas Korrektur', birthDate });
      for (const task of adultWork)
        expect(res.body.tasks.find((t: any) => t.id === task.id)).toMatchObject({
          status: 'CANCELLED',
          cancelCode: 'NOT_NEEDED',
        });
      // The timeline says what was corrected, not the values, and not the reason.
      const entry = res.body.timeline.find((e: any) => e.kind === 'PERSON_CORRECTED');
      expect(entry).toMatchObject({ agency: 'POLICE_EAS', detail: { fields: 'birthDate', ageGroup: 'MINOR' } });
      expect(JSON.stringify(res.body.timeline)).not.toMatch(/2005-01-15|CPR-opslag/);
      // The search index follows the correction.
      expect((await search(`birthDate=${birthDate}&name=jonas`)).body.items.map((p: any) => p.personId)).toEqual([id]);
      expect((await search('birthDate=2005-01-15&name=jonas')).body.items).toEqual([]);
      const audited = (await audit('CORRECT_PERSON')).filter((r) => r.pathway_id === id);
      expect(audited).toEqual([
        {
          pathway_id: id,
          detail: { fields: 'birthDate', reason: 'Fødselsdato rettet efter CPR-opslag' },
          item_count: null,
        },
      ]);
      // The transition plan waits for 17½ (in the workflow: nothing due now, no task yet).
      expect(res.body.tasks.some((t: any) => t.key === 'transition-plan')).toBe(false);
    });

    it('a corrected name: the record, the search and nothing else; the timeline without the name', async () => {
      const created = await start('Emil Stavfejl', '2010-02-02');
      const id = created.body.id;
      const res = await correct(id, { name: 'Emil Stavefejl', reason: 'Stavefejl i anmeldelsen' });
      expect(res.status).toBe(200);
      expect(res.body.person.name).toBe('Emil Stavefejl');
      expect(res.body.tasks.map((t: any) => t.status)).toEqual(created.body.tasks.map((t: any) => t.status));
      expect(JSON.stringify(res.body.timeline)).not.toMatch(/Stavfejl|Stavefejl/);
      expect((await search('name=stavefejl')).body.items.map((p: any) => p.personId)).toEqual([id]);
      expect((await search('name=stavfejl')).body.items).toEqual([]);
      // The row stays sealed under the person's key: the correction is sealed again, no name in clear.
      expect(
        await stack.db.query(
          `SELECT name, birth_date, sealed IS NOT NULL AS sealed FROM persons WHERE pathway_id = $1`,
          [id],
        ),
      ).toEqual([{ name: null, birth_date: null, sealed: true }]);
    });

    it('refuses bad input with 400 naming the field, a caseworker with 403, nothing to change or unknown ids', async () => {
      const created = await start('Freja Fejlsøg', '2010-03-03');
      const id = created.body.id;
      const cases: [object, string][] = [
        [{ reason: 'x' }, 'name'],
        [{ birthDate: '2010-02-30', reason: 'x' }, 'birthDate'],
        [{ birthDate: '2999-01-01', reason: 'x' }, 'birthDate'],
        [{ name: '  ', reason: 'x' }, 'name'],
        [{ name: 'Ny' }, 'reason'],
        [{ name: 'Ny', reason: 'x', extra: 1 }, 'extra'],
      ];
      for (const [body, field] of cases) {
        const res = await correct(id, body);
        expect([res.status, res.body.errors?.map((e: any) => e.field)]).toEqual([400, [field]]);
      }
      expect((await correct(id, { name: 'Ny Navn', reason: 'x' }, 'lokalpoliti-sagsbehandler')).status).toBe(403);
      const same = await correct(id, { name: 'Freja Fejlsøg', reason: 'x' });
      expect([same.status, same.body.message]).toEqual([409, 'the name and birth date are already recorded as given']);
      expect((await correct('0b5f6c3e-6d3a-4f7e-9a53-1f0e8a0c0c11', { name: 'Ny', reason: 'x' })).status).toBe(404);
      expect((await http(stack, 'GET', `/pathways/${id}`, undefined, COORDINATOR)).body.person.name).toBe(
        'Freja Fejlsøg',
      );
    });
  });
});

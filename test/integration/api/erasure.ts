// Erasing a person (issue 13, items 3–4): per-person keys and crypto-shredding on the real stack. One coordinator
// asks, a second confirms; afterwards the person's Temporal history cannot be decoded, no table holds their name,
// the yearly figures are what they were, and the audit chain still verifies. Real API, worker, Temporal, PostgreSQL.
import { randomBytes, randomUUID } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { PersonKeys } from '../../../libs/persistence/src';
import { AesGcmPayloadCodec, KEY_ID_METADATA, REFUSAL_METADATA } from '../../../libs/temporal/src';
import { pathwayWorkflowId } from '../../../libs/domain/src';
import { http, pathwayRequest, startStack, type TestStack } from '../../support/stack';

const CANARY = 'Kanariefugl Slettesen';
const CANARY_WORD = 'Kanariefugl';

describe('POST /persons/:id/erasure', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.stop());

  /** Rows of every table of the read model whose text holds the word, in clear or as bytes in a bytea column. */
  async function tablesHolding(word: string): Promise<string[]> {
    const tables: { name: string }[] = await stack.db.query(
      `SELECT table_name AS name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
    );
    const hits: string[] = [];
    for (const { name } of tables) {
      const [{ n }]: { n: number }[] = await stack.db.query(
        `SELECT count(*)::int AS n FROM "${name}" t
          WHERE t::text ILIKE '%' || $1 || '%' OR t::text ILIKE '%' || encode(convert_to($1, 'UTF8'), 'hex') || '%'`,
        [word],
      );
      if (n > 0) hits.push(name);
    }
    return hits;
  }

  /** The workflow's first input as stored by Temporal, decoded with a fresh keyring (no cache). */
  async function decodedStartInput(id: string): Promise<{ payload: Payload; value?: any; refusal?: string }> {
    const history = await stack.client.workflow.getHandle(pathwayWorkflowId(id)).fetchHistory();
    const started = history.events!.find((e) => e.workflowExecutionStartedEventAttributes)!;
    const stored = started.workflowExecutionStartedEventAttributes!.input!.payloads![0] as Payload;
    const codec = new AesGcmPayloadCodec(
      stack.temporal.payloadKeys,
      new PersonKeys(stack.db, stack.temporal.payloadKeys),
    );
    const [decoded] = await codec.decode([stored]);
    const refusal = decoded.metadata?.[REFUSAL_METADATA];
    if (refusal) return { payload: stored, refusal: Buffer.from(refusal).toString() };
    return { payload: stored, value: defaultPayloadConverter.fromPayload(decoded) };
  }

  /** The published yearly report as CSV (its figures; the PDF differs by its creation time). */
  const yearly = async (): Promise<string> => {
    const res = await fetch(`${stack.baseUrl}/reports/yearly/${new Date().getUTCFullYear()}?format=csv`, {
      headers: { authorization: `Bearer ${await stack.tokenFor('sikker-by')}` },
    });
    expect(res.status).toBe(200);
    return res.text();
  };
  const quarters = async () => {
    const res = await http(stack, 'GET', '/oversight/quarters', undefined, {
      as: 'operativ-koordinator',
    });
    expect(res.status).toBe(200);
    return res.body;
  };
  const erase = (id: string, as: string, reason: unknown = 'WRONGLY_REGISTERED') =>
    http(stack, 'POST', `/persons/${id}/erasure`, { reason }, { as });

  it('asked by one coordinator and confirmed by another, it shreds the person everywhere', async () => {
    const created = await http(stack, 'POST', '/pathways', pathwayRequest({ name: CANARY, age: 16 }), {
      as: 'lokalpoliti-sagsbehandler',
    });
    expect(created.status).toBe(201);
    const id: string = created.body.id;
    // A command with an Idempotency-Key keeps its answer (which names the person) for a day: erasure covers it.
    const consentGiven = { type: 'CONSENT_GIVEN', occurredAt: new Date(Date.now() - 60_000).toISOString() };
    const consent = await http(stack, 'POST', `/pathways/${id}/events`, consentGiven, {
      as: 'koordinator',
      'Idempotency-Key': 'erasure-consent-0001',
    });
    expect(consent.status).toBe(200);

    // Before: the history is under the person's own key and decodes; no table holds the name in clear (the person
    // row and the stored command answer are sealed under the same key), while the API shows it.
    const before = await decodedStartInput(id);
    expect(Buffer.from(before.payload.metadata![KEY_ID_METADATA]!).toString()).toMatch(/^person:[0-9a-f-]{36}$/);
    expect(before.value.person.name).toBe(CANARY);
    expect(await tablesHolding(CANARY_WORD)).toEqual([]);
    expect(await tablesHolding(id)).toEqual(expect.arrayContaining(['command_keys', 'pathways', 'persons', 'tasks']));
    const person = await http(stack, 'GET', `/pathways/${id}`, undefined, { as: 'koordinator' });
    expect(person.body.person.name).toBe(CANARY);
    const repeat = await http(stack, 'POST', `/pathways/${id}/events`, consentGiven, {
      as: 'koordinator',
      'Idempotency-Key': 'erasure-consent-0001',
    });
    expect(repeat).toEqual(consent);
    expect(JSON.stringify(repeat.body)).toContain(CANARY);
    // A person row written before per-person keys holds the fields in clear; erasure must remove it too.
    await stack.db.query(
      `UPDATE persons SET name = $2, birth_date = '2010-01-01', contact_context = 'Kontekst', sealed = NULL,
                          key_id = NULL WHERE pathway_id = $1`,
      [id, CANARY],
    );
    expect(await tablesHolding(CANARY_WORD)).toEqual(['persons']);
    const figures = await yearly();
    const exact = await quarters();
    const started = JSON.stringify(exact);
    expect(started).toMatch(/"started":[1-9]/);

    // Bad input, the wrong role, an unknown person.
    const bad = await erase(id, 'koordinator', 'because');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('reason');
    expect((await erase(id, 'ssp-sagsbehandler')).status).toBe(403);
    expect((await erase('00000000-0000-4000-8000-000000000000', 'koordinator')).status).toBe(404);

    // Asked: nothing happens yet; the same coordinator asking again gets the same standing request.
    const asked = await erase(id, 'koordinator');
    expect(asked.status).toBe(202);
    expect(asked.body).toMatchObject({ personId: id, status: 'REQUESTED', reason: 'WRONGLY_REGISTERED' });
    const repeated = await erase(id, 'koordinator', 'NO_LONGER_NEEDED');
    expect(repeated).toEqual({ status: 202, body: asked.body });
    expect((await http(stack, 'GET', `/pathways/${id}`, undefined, { as: 'koordinator' })).status).toBe(200);

    // Confirmed by a second coordinator: erased.
    const confirmed = await erase(id, 'koordinator2');
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ personId: id, status: 'ERASED', reason: 'WRONGLY_REGISTERED' });
    expect(confirmed.body.erasedBy).not.toBe(asked.body.requestedBy);
    // Idempotent: again, by anyone allowed, the same answer.
    expect(await erase(id, 'koordinator')).toEqual({ status: 200, body: confirmed.body });

    // The Temporal history is still there, and unreadable.
    const after = await decodedStartInput(id);
    expect(Buffer.from(after.payload.data!).equals(Buffer.from(before.payload.data!))).toBe(true);
    expect(after.refusal).toBe('payload encrypted with a destroyed person key (the person was erased)');
    const [{ status }]: { status: string }[] = await stack.db.query(
      `SELECT CASE WHEN wrapped IS NULL AND destroyed_at IS NOT NULL THEN 'destroyed' ELSE 'live' END AS status
         FROM person_keys WHERE pathway_id = $1`,
      [id],
    );
    expect(status).toBe('destroyed');
    const description = await stack.client.workflow.getHandle(pathwayWorkflowId(id)).describe();
    expect(description.status.name).toBe('TERMINATED');

    // No table holds the name; the API shows no pathway; the figures are unchanged.
    expect(await tablesHolding(CANARY_WORD)).toEqual([]);
    expect((await http(stack, 'GET', `/pathways/${id}`, undefined, { as: 'koordinator' })).status).toBe(404);
    const list = await http(stack, 'GET', '/pathways', undefined, { as: 'koordinator' });
    expect(list.body.items.map((p: { id: string }) => p.id)).not.toContain(id);
    expect(await yearly()).toBe(figures);
    expect(await quarters()).toEqual(exact);

    // Every agency that had work on the pathway is told to delete its copies (ids only).
    const notices: { agency_code: string; pathway_id: string }[] = await stack.db.query(
      `SELECT agency_code, pathway_id FROM notifications WHERE kind = 'PERSON_ERASED' ORDER BY agency_code`,
    );
    const agencies: { agency_code: string }[] = await stack.db.query(
      `SELECT DISTINCT agency_code FROM tasks WHERE pathway_id = $1 ORDER BY agency_code`,
      [id],
    );
    expect(notices).toEqual(agencies.map((a) => ({ agency_code: a.agency_code, pathway_id: id })));
    expect(notices.length).toBeGreaterThan(0);

    // The audit: the request and the erasure are rows, and the chain verifies.
    const rows: { action: string }[] = await stack.db.query(
      `SELECT action FROM audit_log WHERE pathway_id = $1 AND action IN ('REQUEST_ERASURE', 'ERASE_PERSON') ORDER BY id`,
      [id],
    );
    expect(rows.map((r) => r.action)).toEqual(['REQUEST_ERASURE', 'ERASE_PERSON']);
    const verified = await http(stack, 'GET', '/audit/verify', undefined, { as: 'revisor' });
    expect(verified.status).toBe(200);
    expect(verified.body.intact).toBe(true);
  });

  it('rotates master keys: person keys are rewrapped under the active one, and the old one can then go', async () => {
    const old = randomBytes(32);
    const next = randomBytes(32);
    const pathwayId = randomUUID();
    const before = new PersonKeys(stack.db, { activeKeyId: 'old', keys: new Map([['old', old]]) });
    const made = await before.ensure(pathwayId);
    const sealed = before.seal(made, { name: CANARY });

    // Both master keys configured, the new one active: the daily run rewraps.
    const during = new PersonKeys(stack.db, {
      activeKeyId: 'next',
      keys: new Map([
        ['old', old],
        ['next', next],
      ]),
    });
    // Every live key not under the active master key: this one, and any other pathway's of this stack.
    expect(await during.rewrap()).toBeGreaterThanOrEqual(1);
    expect(await during.rewrap()).toBe(0);
    const [row]: { master_key_id: string }[] = await stack.db.query(
      `SELECT master_key_id FROM person_keys WHERE pathway_id = $1`,
      [pathwayId],
    );
    expect(row.master_key_id).toBe('next');

    // Without the old master key the person's key, and what it sealed, still opens.
    const after = new PersonKeys(stack.db, { activeKeyId: 'next', keys: new Map([['next', next]]) });
    expect((await after.ensure(pathwayId)).key.equals(made.key)).toBe(true);
    expect(await after.open(made.keyId, sealed)).toEqual({ name: CANARY });
    await stack.db.query(`DELETE FROM person_keys WHERE pathway_id = $1`, [pathwayId]);
    // The stack's own keys go back under its master key.
    const { activeKeyId, keys } = stack.temporal.payloadKeys;
    await new PersonKeys(stack.db, { activeKeyId, keys: new Map([...keys, ['next', next]]) }).rewrap();
  });
});

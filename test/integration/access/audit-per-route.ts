// One audit row per request: the test walks the API's own OpenAPI document and calls every route once as a person who
// may, with a body that succeeds, on a real pathway (API, worker, Temporal and PostgreSQL all real). Each call must
// add exactly the rows apps/api/src/core/audited-routes.ts says: one, under its action, on the pathway it read or
// changed, ALLOWED; none for the routes listed there with why. A refused call (403) adds one REFUSED row and a
// failed one (404) none. A route of the document missing from the walk, or from the table, fails the test.
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { ROUTE_AUDIT } from '../../../apps/api/src/core/audited-routes';
import type { Playbook } from '../../../libs/domain/src';
import { eventually, publish, quickJobcenterPlaybook, startDrill, type Drill } from '../../support/drill';
import { http, pathwayRequest, startStack, type TestStack } from '../../support/stack';

// With one step "by need" in CONTACT: the escalation drills below are also where a suggested task is listed and added.
const quick: Playbook = (() => {
  const playbook = quickJobcenterPlaybook('audit walk');
  playbook.stages.CONTACT!.suggested = [
    {
      key: 'quick-suggestion',
      agency: 'JOBCENTER',
      type: 'INCOME_JOB_PLAN',
      title: 'Jobplan efter behov',
      due: { kind: 'duration', seconds: 600 },
    },
  ];
  return playbook;
})();
const future = (days: number) => new Date(Date.now() + days * 86400_000).toISOString();
const now = () => new Date().toISOString();

interface AuditRow {
  action: string;
  pathway_id: string | null;
  task_id: string | null;
  result: string;
  purpose: string | null;
  actor_user_id: string | null;
}

let stack: TestStack;
const codec = () => stack.client.options.loadedDataConverter.payloadCodecs[0];
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const json = (p: Payload) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, b64(v!)])),
  data: b64(p.data!),
});
const walked: string[] = [];
const wrong: string[] = [];

async function lastId(): Promise<number> {
  const [row]: { id: string | null }[] = await stack.db.query(`SELECT max(id)::text AS id FROM audit_log`);
  return Number(row.id ?? 0);
}

async function rowsAfter(id: number): Promise<AuditRow[]> {
  return stack.db.query(
    `SELECT action, pathway_id, task_id, result, purpose, actor_user_id FROM audit_log WHERE id > $1 ORDER BY id`,
    [id],
  );
}

/** A request as a client sends it; the answer's body as JSON, or its content type (a PDF, a CSV). */
async function call(method: string, path: string, body: unknown, as: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${stack.baseUrl}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(as === 'anonymous' ? {} : { authorization: `Bearer ${await stack.tokenFor(as)}` }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const type = res.headers.get('content-type') ?? '';
  const text = await res.text();
  return { status: res.status, body: type.includes('json') && text ? JSON.parse(text) : type };
}

/**
 * Calls `route` (as the document spells it) on `path` and checks the rows it added: the table's action (or its
 * `otherwise` when `otherwise` is true) on `pathwayId`, or none.
 */
async function walk(
  route: string,
  path: string,
  as: string,
  options: { body?: unknown; status?: number; pathwayId?: string | null; taskId?: string; otherwise?: boolean } = {},
): Promise<any> {
  const [method] = route.split(' ');
  const before = await lastId();
  const res = await call(method, path, options.body, as);
  const rows = await rowsAfter(before);
  walked.push(route);
  const rule = ROUTE_AUDIT[route];
  const status = options.status ?? (method === 'POST' && !route.includes('/{') ? 201 : 200);
  if (res.status !== status) {
    wrong.push(`${route} as ${as}: ${res.status} ${JSON.stringify(res.body)?.slice(0, 200)}, not ${status}`);
    return res;
  }
  if (rule === undefined) {
    wrong.push(`${route}: not in ROUTE_AUDIT`);
  } else if ('none' in rule) {
    if (rows.length !== 0) wrong.push(`${route}: ${rows.length} rows (${rows.map((r) => r.action)}), not none`);
  } else {
    const action = options.otherwise ? rule.otherwise : rule.action;
    const want = {
      action,
      result: 'ALLOWED',
      actor_user_id: as,
      ...(options.pathwayId !== undefined ? { pathway_id: options.pathwayId } : {}),
      ...(options.taskId !== undefined ? { task_id: options.taskId } : {}),
      ...(rule.administration ? { purpose: 'ADMINISTRATION' } : {}),
    };
    const got = rows.map((r) => ({ ...r, pathway_id: r.pathway_id?.toLowerCase() ?? null }));
    if (got.length !== 1 || Object.entries(want).some(([k, v]) => (got[0] as any)[k] !== v)) {
      wrong.push(`${route}: ${JSON.stringify(got)}, not one ${JSON.stringify(want)}`);
    }
  }
  return res;
}

beforeAll(async () => {
  stack = await startStack();
  await publish(stack, quick);
});
afterAll(async () => {
  await stack?.stop();
});

it('writes exactly one row for each route that reads or changes personal data and each command, none for the rest', async () => {
  // A pathway of a 16-year-old, opened by the local police; its first tasks.
  const opened = await walk('POST /pathways', '/pathways', 'lokalpoliti-sagsbehandler', {
    body: pathwayRequest({ name: 'Revision Rutevandring', age: 16 }),
  });
  const id: string = opened.body.id;
  const P = { pathwayId: id };
  const tasks = (await http(stack, 'GET', `/pathways/${id}`, undefined, { as: 'koordinator' })).body.tasks;
  const ssp = tasks.find((t: any) => t.agency === 'SSP' && t.status === 'OPEN');
  expect(ssp).toBeDefined();

  await walk('GET /health', '/health', 'anonymous');
  await walk('GET /agencies', '/agencies', 'koordinator');
  await walk('GET /districts', '/districts', 'koordinator');
  await walk('GET /pathways', '/pathways', 'koordinator', { pathwayId: null });
  await walk('GET /pathways/{id}', `/pathways/${id}`, 'koordinator', P);
  // People: a search is one row (no pathway: the pathways it showed are in its detail); a correction of the name one
  // row on its pathway. (Opening a look-alike anyway comes near the end: its pathway would be on the queues below.)
  await walk('GET /persons', '/persons?name=rutevandring', 'koordinator', { pathwayId: null });
  await walk('POST /pathways/{id}/person-correction', `/pathways/${id}/person-correction`, 'koordinator', {
    body: { name: 'Revision Rutevandringen', reason: 'Stavefejl' },
    ...P,
  });
  await walk('GET /pathways/{id}/timeline', `/pathways/${id}/timeline`, 'operativ-gruppe', P);
  await walk('GET /agencies/{code}/tasks', '/agencies/SSP/tasks', 'ssp-sagsbehandler', P);
  // A queue that names nobody (an empty one): one LIST_QUEUE row.
  await walk('GET /agencies/{code}/tasks', '/agencies/UU/tasks', 'uu-sagsbehandler', {
    otherwise: true,
    pathwayId: null,
  });
  await walk('GET /tasks/{id}', `/tasks/${ssp.id}`, 'ssp-sagsbehandler', { ...P, taskId: ssp.id });
  await walk('POST /tasks/{id}/claim', `/tasks/${ssp.id}/claim`, 'ssp-sagsbehandler', {
    body: {},
    ...P,
    taskId: ssp.id,
  });
  await walk('POST /tasks/{id}/unclaim', `/tasks/${ssp.id}/unclaim`, 'operativ-gruppe', {
    body: {},
    ...P,
    taskId: ssp.id,
  });
  await walk('GET /agencies/{code}/users', '/agencies/SSP/users', 'ssp-teamleder');
  await walk('GET /agencies/{code}/capacity', '/agencies/SSP/capacity', 'ssp-teamleder');
  await walk('POST /tasks/{id}/assign', `/tasks/${ssp.id}/assign`, 'ssp-teamleder', {
    body: { userId: 'ssp-sagsbehandler' },
    ...P,
    taskId: ssp.id,
  });
  await walk('POST /agencies/{code}/tasks/assign', '/agencies/SSP/tasks/assign', 'ssp-teamleder', {
    body: { taskIds: [ssp.id], userId: 'ssp-teamleder' },
    status: 200,
    ...P,
  });
  await walk('POST /tasks/{id}/extend', `/tasks/${ssp.id}/extend`, 'operativ-gruppe', {
    body: { reason: 'Familien er bortrejst', dueAt: future(20) },
    ...P,
    taskId: ssp.id,
  });
  await walk('POST /tasks/{id}/complete', `/tasks/${ssp.id}/complete`, 'ssp-sagsbehandler', {
    body: { outcome: 'DONE' },
    ...P,
    taskId: ssp.id,
  });
  const more = (await http(stack, 'GET', `/pathways/${id}`, undefined, { as: 'koordinator' })).body.tasks.filter(
    (t: any) => t.status === 'OPEN',
  );
  const [toMove, toCancel] = more;
  await walk('POST /tasks/{id}/reassign', `/tasks/${toMove.id}/reassign`, 'operativ-gruppe', {
    body: { reason: 'Bedre hos lokalpolitiet', toAgency: 'POLICE_LOCAL' },
    ...P,
    taskId: toMove.id,
  });
  await walk('POST /tasks/{id}/cancel', `/tasks/${toCancel.id}/cancel`, 'operativ-gruppe', {
    body: { reason: 'Ikke længere nødvendig' },
    ...P,
    taskId: toCancel.id,
  });
  // The local police's queue now holds the moved task: the next one is taken (or 204 when none is free).
  await walk('POST /agencies/{code}/tasks/next', '/agencies/POLICE_LOCAL/tasks/next', 'lokalpoliti-sagsbehandler', {
    body: {},
    status: 200,
    ...P,
  });
  // On hold and back, the agency's own working notes, the task's history.
  const T = { ...P, taskId: toMove.id };
  await walk('POST /tasks/{id}/hold', `/tasks/${toMove.id}/hold`, 'lokalpoliti-sagsbehandler', {
    body: { until: future(7).slice(0, 10), reason: 'AWAITING_PERSON' },
    ...T,
  });
  await walk('POST /tasks/{id}/resume', `/tasks/${toMove.id}/resume`, 'lokalpoliti-sagsbehandler', { body: {}, ...T });
  await walk('POST /tasks/{id}/notes', `/tasks/${toMove.id}/notes`, 'lokalpoliti-sagsbehandler', {
    body: { body: 'Ringet op; ringer igen i morgen' },
    status: 201,
    ...T,
  });
  await walk('GET /tasks/{id}/notes', `/tasks/${toMove.id}/notes`, 'lokalpoliti-sagsbehandler', T);
  await walk('GET /tasks/{id}/history', `/tasks/${toMove.id}/history`, 'lokalpoliti-sagsbehandler', T);
  await walk('POST /pathways/{id}/events/preview', `/pathways/${id}/events/preview`, 'koordinator', {
    body: { type: 'CONSENT_GIVEN', occurredAt: now(), data: {} },
    ...P,
  });
  await walk('POST /pathways/{id}/events', `/pathways/${id}/events`, 'koordinator', {
    body: { type: 'CONSENT_GIVEN', occurredAt: now(), data: {} },
    ...P,
  });
  await walk('POST /pathways/{id}/tasks', `/pathways/${id}/tasks`, 'koordinator', {
    body: { agency: 'SSP', title: 'Boligsag', dueAt: future(10) },
    status: 201,
    ...P,
  });

  // Playbooks: reading them touches no person; publishing one is an administrative command; migrating is a command.
  const playbooks = await walk('GET /playbooks', '/playbooks', 'koordinator');
  const latest = Math.max(...playbooks.body.map((p: any) => p.version));
  await walk('GET /playbooks/{version}', `/playbooks/${latest}`, 'koordinator');
  await walk('POST /playbooks', '/playbooks', 'admin', {
    body: { ...quickJobcenterPlaybook('Revisionens playbook'), version: latest + 1 },
    pathwayId: null,
  });
  await walk('POST /pathways/{id}/playbook-migration', `/pathways/${id}/playbook-migration`, 'koordinator', {
    body: { version: latest + 1, reason: 'Ny version' },
    ...P,
  });

  // Closing takes four eyes; a closed pathway is reopened; a second closure is rejected.
  await http(
    stack,
    'POST',
    `/pathways/${id}/events`,
    { type: 'CLOSED', occurredAt: now(), data: { outcome: 'DEREGISTERED' } },
    { as: 'koordinator' },
  );
  await walk('POST /pathways/{id}/closure/confirm', `/pathways/${id}/closure/confirm`, 'koordinator2', P);
  await walk('POST /pathways/{id}/reopen', `/pathways/${id}/reopen`, 'koordinator', {
    body: { reason: 'Ny bekymring' },
    ...P,
  });
  await http(
    stack,
    'POST',
    `/pathways/${id}/events`,
    { type: 'CLOSED', occurredAt: now(), data: { outcome: 'DEREGISTERED' } },
    { as: 'koordinator' },
  );
  await walk('POST /pathways/{id}/closure/reject', `/pathways/${id}/closure/reject`, 'koordinator2', {
    body: { reason: 'Sagen er ikke afsluttet' },
    ...P,
  });

  // Escalations and the meeting: two pathways whose Jobcenter task is overdue at once.
  const drills: Drill[] = [
    await startDrill(stack, { age: 30, playbook: quick }),
    await startDrill(stack, { age: 30, playbook: quick }),
  ];
  const board = await eventually(
    () => http(stack, 'GET', '/escalations', undefined, { as: 'operativ-gruppe' }),
    (res) => drills.every((d) => res.body.items.some((e: any) => e.pathwayId === d.id)),
    20000,
  );
  await walk('GET /escalations', '/escalations', 'operativ-gruppe', { pathwayId: null });
  const escalation = board.body.items.find((e: any) => e.pathwayId === drills[0].id);
  await walk('POST /escalations/{id}/resolve', `/escalations/${escalation.id}/resolve`, 'operativ-gruppe', {
    body: { decision: 'NOTE', note: 'Drøftet' },
    pathwayId: drills[0].id,
  });
  await walk('GET /escalations/resolved', '/escalations/resolved', 'operativ-gruppe', { pathwayId: null });
  const meeting = await walk('POST /meetings', '/meetings', 'operativ-gruppe', {
    body: { date: '2026-12-09' },
    pathwayId: null,
  });
  await walk('GET /meetings', '/meetings', 'operativ-gruppe');
  await walk('GET /meetings/{id}', `/meetings/${meeting.body.id}`, 'operativ-gruppe', { pathwayId: null });
  const item = meeting.body.items.find((i: any) => i.pathwayId === drills[1].id);
  await walk(
    'POST /meetings/{id}/items/{itemId}/decision',
    `/meetings/${meeting.body.id}/items/${item.id}/decision`,
    'operativ-gruppe',
    { body: { decision: 'NOTE', note: 'Drøftet på mødet' }, pathwayId: drills[1].id },
  );
  await walk('POST /meetings/{id}/items', `/meetings/${meeting.body.id}/items`, 'operativ-gruppe', {
    body: { title: 'Samarbejdet med skolerne', why: 'Ønske fra SSP' },
    status: 201,
    pathwayId: null,
  });
  // The stage's steps by need: listing them reads the pathway; adding one is a command on it.
  const suggestions = await walk(
    'GET /pathways/{id}/suggested-tasks',
    `/pathways/${drills[1].id}/suggested-tasks`,
    'koordinator',
    { pathwayId: drills[1].id },
  );
  expect(suggestions.body.suggestions?.map((t: any) => t.key)).toEqual(['quick-suggestion']);
  await walk('POST /pathways/{id}/suggested-tasks', `/pathways/${drills[1].id}/suggested-tasks`, 'koordinator', {
    body: { key: 'quick-suggestion' },
    status: 201,
    pathwayId: drills[1].id,
  });
  await walk('GET /meetings/recommendations', '/meetings/recommendations', 'operativ-gruppe', { pathwayId: null });
  await walk('POST /meetings/{id}/approve', `/meetings/${meeting.body.id}/approve`, 'operativ-gruppe', {
    body: { present: ['SSP København'] },
    pathwayId: null,
  });
  await walk('GET /meetings/{id}/minutes', `/meetings/${meeting.body.id}/minutes`, 'operativ-gruppe', {
    pathwayId: null,
  });

  // Notifications and webhooks, for the administrators.
  await stack.db.query(
    `INSERT INTO notifications (id, dedup_key, agency_code, kind, pathway_id, status, last_error)
     VALUES ('audit-walk-dead-1', 'audit-walk-dead-1', 'SSP', 'TASK_CREATED', $1, 'DEAD', 'HTTP 503')`,
    [id],
  );
  await walk('GET /notifications/dead-letters', '/notifications/dead-letters', 'admin', { pathwayId: null });
  await walk('POST /notifications/{id}/requeue', '/notifications/audit-walk-dead-1/requeue', 'admin', {
    pathwayId: null,
  });
  await walk('PUT /agencies/{code}/webhook', '/agencies/SSP/webhook', 'admin', {
    body: { url: 'https://127.0.0.1:9/hook' },
    pathwayId: null,
  });
  await walk('GET /agencies/{code}/webhook', '/agencies/SSP/webhook', 'admin');
  await walk('POST /agencies/{code}/webhook/ping', '/agencies/SSP/webhook/ping', 'admin', { pathwayId: null });

  // Aggregates: one STATISTICS row each; goals and figures are the partnership's own, set by the steering group.
  for (const route of ['stages', 'sla', 'deadlines', 'workload', 'stalled', 'quarters']) {
    await walk(`GET /oversight/${route}`, `/oversight/${route}`, 'sikker-by', { pathwayId: null });
  }
  await walk('POST /oversight/sla/{month}/recompute', '/oversight/sla/2026-10/recompute', 'sikker-by', {
    pathwayId: null,
  });
  await walk('PUT /reports/goals/{year}', '/reports/goals/2025', 'sikker-by', {
    body: { goals: [{ taskType: 'MENTOR', label: 'Mentorforløb', target: 4 }] },
    pathwayId: null,
  });
  await walk('GET /reports/goals/{year}', '/reports/goals/2025', 'sikker-by');
  await walk('PUT /reports/figures/{year}', '/reports/figures/2025', 'sikker-by', {
    body: { figures: [{ code: 'SKUDEPISODER', label: 'Skudepisoder', value: 3, source: 'Politiet' }] },
    pathwayId: null,
  });
  await walk('GET /reports/figures/{year}', '/reports/figures/2025', 'sikker-by');
  // Districts are the steering group's data: a new one (201), then a change (200); administrative commands.
  await walk('PUT /districts/{code}', '/districts/REVISIONSOMRAADE', 'sikker-by', {
    body: { name: 'Revisionsområde', focus: false, active: false },
    status: 201,
    otherwise: true,
    pathwayId: null,
  });
  await walk('PUT /districts/{code}', '/districts/REVISIONSOMRAADE', 'sikker-by', {
    body: { name: 'Revisionsområdet', focus: false, active: false },
    pathwayId: null,
  });
  await walk('GET /reports/yearly/{year}', '/reports/yearly/2025', 'sikker-by', { pathwayId: null });

  // The auditor's own reads are rows too.
  await walk('GET /audit', `/audit?pathwayId=${id}`, 'revisor', P);
  await walk('GET /audit/verify', '/audit/verify', 'revisor', { pathwayId: null });
  await walk('GET /persons/{id}/access-report', `/persons/${id}/access-report`, 'revisor', P);

  // Opening a look-alike anyway (duplicateOverride): one OPEN_PATHWAY row on the new pathway, with the reason.
  const lookalike = pathwayRequest({ name: 'Revision Anden', age: 16, sourceAgency: 'POLICE_EAS' });
  lookalike.person.birthDate = (
    await http(stack, 'GET', `/pathways/${id}`, undefined, { as: 'koordinator' })
  ).body.person.birthDate;
  const warned = await http(stack, 'POST', '/pathways', lookalike, { as: 'koordinator' });
  expect([warned.status, warned.body.code]).toEqual([409, 'DUPLICATE_SUSPECTED']);
  const overridden = await walk('POST /pathways', '/pathways', 'koordinator', {
    body: { ...lookalike, duplicateOverride: { reason: 'En anden person med samme fødselsdag' } },
  });
  expect(overridden.body.id).not.toBe(id);

  // Retention and erasure (coordinators): the review list, keeping a person, erasing one with four eyes.
  await walk('GET /retention/reviews', '/retention/reviews', 'koordinator', { pathwayId: null });
  const erased = drills[0].id;
  await walk('POST /persons/{id}/retention', `/persons/${erased}/retention`, 'koordinator', {
    body: { reason: 'Ny bekymringshenvendelse', keepUntil: future(60).slice(0, 10) },
    pathwayId: erased,
  });
  await walk('POST /persons/{id}/erasure', `/persons/${erased}/erasure`, 'koordinator', {
    body: { reason: 'NO_LONGER_NEEDED' },
    status: 202,
    otherwise: true,
    pathwayId: erased,
  });
  await walk('POST /persons/{id}/erasure', `/persons/${erased}/erasure`, 'koordinator2', {
    body: { reason: 'NO_LONGER_NEEDED' },
    pathwayId: erased,
  });

  // Reconciliation of the read model with the workflows, for the administrators.
  await walk('POST /admin/reconciliation', '/admin/reconciliation', 'admin', {
    body: {},
    status: 200,
    pathwayId: null,
  });

  // The Temporal UI's codec: one row per request.
  const [payload] = await codec().encode([defaultPayloadConverter.toPayload({ note: 'Revision' })!]);
  await walk('POST /codec/decode', '/codec/decode', 'revisor', {
    body: { payloads: [json(payload)] },
    status: 200,
    pathwayId: null,
  });

  expect(wrong).toEqual([]);

  // Every route of the document was walked, and the table has no route the document lacks (but /metrics).
  const doc = (await (await fetch(`${stack.baseUrl}/api/docs-json`)).json()) as { paths: Record<string, object> };
  const documented = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
  );
  expect(documented.filter((route) => !walked.includes(route))).toEqual([]);
  expect(Object.keys(ROUTE_AUDIT).filter((route) => !documented.includes(route))).toEqual(['GET /metrics']);
});

it('writes one REFUSED row for a refused call and none for an unknown id', async () => {
  const opened = await http(stack, 'POST', '/pathways', pathwayRequest({ age: 17 }), {
    as: 'lokalpoliti-sagsbehandler',
  });
  const id: string = opened.body.id;
  let before = await lastId();
  expect((await http(stack, 'GET', `/pathways/${id}/timeline`, undefined, { as: 'ssp-sagsbehandler' })).status).toBe(
    403,
  );
  expect(await rowsAfter(before)).toEqual([
    expect.objectContaining({ action: 'pathway.timeline', pathway_id: id, result: 'REFUSED' }),
  ]);
  before = await lastId();
  const unknown = '0b5f6c3e-6d3a-4f7e-9a53-1f0e8a0c0c11';
  expect(
    (await http(stack, 'POST', `/tasks/${unknown}/complete`, { outcome: 'DONE' }, { as: 'ssp-sagsbehandler' })).status,
  ).toBe(404);
  expect(await rowsAfter(before)).toEqual([]);
});

it('writes one row for a command repeated under its Idempotency-Key, answered from the kept answer', async () => {
  const opened = await http(stack, 'POST', '/pathways', pathwayRequest({ age: 15 }), {
    as: 'lokalpoliti-sagsbehandler',
  });
  const id: string = opened.body.id;
  const body = { type: 'CONSENT_GIVEN', occurredAt: now(), data: {} };
  const answers = [];
  for (let i = 0; i < 2; i++) {
    const before = await lastId();
    const res = await http(stack, 'POST', `/pathways/${id}/events`, body, {
      as: 'koordinator',
      'Idempotency-Key': 'audit-walk-repeat-0001',
    });
    answers.push(res);
    expect(res.status).toBe(200);
    expect(await rowsAfter(before)).toEqual([
      expect.objectContaining({
        action: 'RECORD_EVENT',
        pathway_id: id,
        result: 'ALLOWED',
        actor_user_id: 'koordinator',
      }),
    ]);
  }
  expect(answers[1].body).toEqual(answers[0].body);
});

// What the Temporal server holds: encrypted payloads only, and search attributes without personal data.
import { existsSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { Client, WorkflowUpdateFailedError } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { AesGcmPayloadCodec, FAILURE_CONVERTER_PATH } from '../../../libs/temporal/src';
import { PersonKeys } from '../../../libs/persistence/src';
import { PATHWAY_WORKFLOW_TYPE, pathwayWorkflowId, type PathwayInput, type Playbook } from '../../../libs/domain/src';
import { pathwayStageKey } from '../../../workflows/pathway/search-attributes';
import playbookV1 from '../../../libs/domain/playbooks/v1.json';
import { eventually } from '../../support/drill';
import { sharedTestEnv } from '../../support/shared-env';
import { birthDateForAge, CONTACT_WORKER, http, pathwayRequest, startStack, type TestStack } from '../../support/stack';

describe('Temporal holds no personal data in clear', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('keeps a planted name out of the dev server’s SQLite files, and out of what the history shows', async () => {
    const name = 'Zoltan Qwertyson-Planted';
    const context = 'Kontekst-med-kendetegn-Xq7';
    const body = pathwayRequest({ name, age: 16 });
    body.contact.context = context;
    const created = await http(stack, 'POST', '/pathways', body, { as: 'lokalpoliti-sagsbehandler' });
    expect(created.status).toBe(201);
    // Done by its agency: a 16-year-old's CONTACT tasks are the coordinator's, SSP's and DKS's.
    const task = created.body.tasks[0];
    await http(
      stack,
      'POST',
      `/tasks/${task.id}/complete`,
      { outcome: 'DONE', note: 'Talt med Zoltan' },
      { as: CONTACT_WORKER[task.agency] },
    );

    // The history as the server returns it (no codec): every payload is encrypted.
    const raw = await stack.client.workflowService.getWorkflowExecutionHistory({
      namespace: stack.temporal.namespace,
      execution: { workflowId: `pathway-${created.body.id}` },
    });
    const events = raw.history?.events ?? [];
    const started = events[0].workflowExecutionStartedEventAttributes!;
    const payload = started.input!.payloads![0];
    expect(Buffer.from(payload.metadata!.encoding!).toString()).toBe('binary/encrypted');
    // Under the person's own key (per-person keys), not the master key 'test1'.
    const [personKey]: { id: string }[] = await stack.db.query(`SELECT id FROM person_keys WHERE pathway_id = $1`, [
      created.body.id,
    ]);
    expect(Buffer.from(payload.metadata!['encryption-key-id']!).toString()).toBe(`person:${personKey.id}`);
    const wire = Buffer.from(JSON.stringify(raw.history));
    expect(wire.includes(Buffer.from('Zoltan'))).toBe(false);

    // The server's own files, WAL included.
    const { temporalDbPath } = sharedTestEnv();
    const files = [temporalDbPath, `${temporalDbPath}-wal`].filter(existsSync);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const bytes = readFileSync(file);
      expect(bytes.includes(Buffer.from('Zoltan'))).toBe(false);
      expect(bytes.includes(Buffer.from(context))).toBe(false);
      expect(bytes.includes(Buffer.from(created.body.person.birthDate))).toBe(false);
    }
    // The same check is not vacuous: the pathway id, which is not personal, is in the files in clear.
    const all = Buffer.concat(files.map((f) => readFileSync(f)));
    expect(all.includes(Buffer.from(created.body.id))).toBe(true);
  });

  it('keeps the person out of a failed read-model write’s error, which Temporal logs and keeps', async () => {
    // Only a client bypassing the API can send this (the API refuses NUL); PostgreSQL refuses to store it. The name
    // is sealed under the person's key before it reaches PostgreSQL, so the NUL that fails the write is in the
    // reporting agency's code, which is stored in clear.
    const pathwayId = randomUUID();
    const input: PathwayInput = {
      pathwayId,
      person: { name: 'Ulrikke\u0000Plantedottir', birthDate: birthDateForAge(16), district: 'INDRE_NORREBRO' },
      contact: { sourceAgency: 'SS\u0000P', occurredAt: new Date().toISOString(), context: 'Kontekst' },
      playbook: playbookV1 as Playbook,
    };
    const handle = await stack.client.workflow.start(PATHWAY_WORKFLOW_TYPE, {
      workflowId: pathwayWorkflowId(pathwayId),
      taskQueue: stack.temporal.taskQueue,
      args: [input],
    });
    try {
      const failure = await eventually(
        async () => (await handle.describe()).raw.pendingActivities?.[0]?.lastFailure,
        (last) => Boolean(last?.message),
      );
      // The message and stack trace travel encrypted (encodeCommonAttributes): the server keeps a placeholder.
      expect(failure!.message).toBe('Encoded failure');
      expect(Buffer.from(failure!.encodedAttributes!.metadata!.encoding!).toString()).toBe('binary/encrypted');
      expect(JSON.stringify(failure)).not.toMatch(/Ulrikke|Plantedottir|2010|\d{4}-\d{2}-\d{2}|read-model|QueryFailed/);
      // With the key, the message is there, and still without the person.
      const [attributes] = await new AesGcmPayloadCodec(
        stack.temporal.payloadKeys,
        new PersonKeys(stack.db, stack.temporal.payloadKeys),
      ).decode([failure!.encodedAttributes!]);
      const decoded = defaultPayloadConverter.fromPayload<{ message: string }>(attributes);
      expect(decoded.message).toBe('read-model write failed: QueryFailedError, SQLSTATE 22021');
    } finally {
      await handle.terminate('test done');
    }
  });

  it('refuses an Update sent in plaintext by a client without the codec, and the pathway runs on', async () => {
    const created = await http(stack, 'POST', '/pathways', pathwayRequest({ age: 16 }), {
      as: 'lokalpoliti-sagsbehandler',
    });
    expect(created.status).toBe(201);
    const task = created.body.tasks.find((t: any) => t.agency === 'SSP');
    // Whoever reaches Temporal's port: the same server and namespace, no codec, a forged completion.
    const forger = new Client({ connection: stack.client.connection, namespace: stack.temporal.namespace });
    const handle = forger.workflow.getHandle(pathwayWorkflowId(created.body.id));
    const forged = handle.executeUpdate('completeTask', {
      args: [{ taskId: task.id, outcome: 'Forfalsket', completedBy: 'SSP', roles: ['COORDINATOR'] }],
    });
    // The workflow rejects it (its argument decodes to a refused payload), and the rejection comes back with its
    // message encrypted: the forger cannot even read why.
    await expect(forged).rejects.toThrow('Unknown encoding: binary/encrypted');
    // A forger that sends plaintext but can read our answers (it has the key for decoding only) sees why.
    const codec = new AesGcmPayloadCodec(
      stack.temporal.payloadKeys,
      new PersonKeys(stack.db, stack.temporal.payloadKeys),
    );
    const reader = new Client({
      connection: stack.client.connection,
      namespace: stack.temporal.namespace,
      dataConverter: {
        payloadCodecs: [{ encode: async (payloads) => payloads, decode: (payloads) => codec.decode(payloads) }],
        failureConverterPath: FAILURE_CONVERTER_PATH,
      },
    });
    const refused = await reader.workflow
      .getHandle(pathwayWorkflowId(created.body.id))
      .executeUpdate('completeTask', { args: [{ taskId: task.id, outcome: 'Forfalsket', completedBy: 'SSP' }] })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((refused as WorkflowUpdateFailedError).cause?.message).toBe('Unknown encoding: binary/refused');

    // Nothing of it reached the history or the read model.
    const raw = await stack.client.workflowService.getWorkflowExecutionHistory({
      namespace: stack.temporal.namespace,
      execution: { workflowId: pathwayWorkflowId(created.body.id) },
    });
    const accepted = (raw.history?.events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
    expect(accepted.map((e) => e.workflowExecutionUpdateAcceptedEventAttributes!.acceptedRequest?.input?.name)).toEqual(
      ['sync'],
    );
    const read = await http(stack, 'GET', `/tasks/${task.id}`, undefined, { as: 'ssp-sagsbehandler' });
    expect(read.body.task.status).toBe('OPEN');
    // The workflow was not stalled by it: the real caseworker's command goes through.
    const done = await http(
      stack,
      'POST',
      `/tasks/${task.id}/complete`,
      { outcome: 'DONE', note: 'Hjemmebesøg gennemført' },
      {
        as: 'ssp-sagsbehandler',
      },
    );
    expect(done.status).toBe(200);
    expect(done.body.task.status).toBe('DONE');
  });

  it('lists pathways by stage and district search attributes, which carry no personal data, track or agency', async () => {
    const created = await http(stack, 'POST', '/pathways', pathwayRequest({ age: 30, district: 'TINGBJERG' }), {
      as: 'lokalpoliti-sagsbehandler',
    });
    const workflowId = `pathway-${created.body.id}`;
    const found: string[] = [];
    // Visibility is eventually consistent.
    for (let i = 0; i < 50 && found.length === 0; i++) {
      for await (const wf of stack.client.workflow.list({
        query: `PathwayStage = "CONTACT" AND PathwayDistrict = "TINGBJERG" AND WorkflowId = "${workflowId}"`,
      })) {
        found.push(wf.workflowId);
      }
      if (found.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(found).toEqual([workflowId]);
    const description = await stack.client.workflow.getHandle(workflowId).describe();
    expect(description.typedSearchAttributes.get(pathwayStageKey)).toBe('CONTACT');
    const attributes = JSON.stringify(description.searchAttributes);
    expect(Object.keys(description.searchAttributes).sort()).toEqual(
      expect.arrayContaining(['PathwayDistrict', 'PathwayOverdue', 'PathwayStage', 'PathwayStalled']),
    );
    // Who works on the person (an investigation unit, say) and the track are not there: the read model has them.
    expect(Object.keys(description.searchAttributes)).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/^Pathway(Track|Agencies)$/)]),
    );
    expect(attributes).not.toContain('POLICE');
    expect(attributes).not.toContain(created.body.person.name);
    expect(attributes).not.toContain(created.body.person.birthDate);
  });
});

describe('health and docs', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ worker: false });
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('reports the database and Temporal as up', async () => {
    const res = await http(stack, 'GET', '/health', undefined, { as: 'anonymous' });
    expect(res).toEqual({
      status: 200,
      body: { status: 'ok', database: { status: 'up' }, temporal: { status: 'up' } },
    });
  });

  it('serves the OpenAPI document with every route', async () => {
    const res = await http(stack, 'GET', '/api/docs-json', undefined, { as: 'koordinator' });

    expect(res.status).toBe(200);
    expect(Object.keys(res.body.paths).sort()).toEqual([
      '/admin/reconciliation',
      '/agencies',
      '/agencies/{code}/capacity',
      '/agencies/{code}/tasks',
      '/agencies/{code}/tasks/assign',
      '/agencies/{code}/tasks/next',
      '/agencies/{code}/users',
      '/agencies/{code}/webhook',
      '/agencies/{code}/webhook/ping',
      '/audit',
      '/audit/verify',
      '/codec/decode',
      '/districts',
      '/districts/{code}',
      '/escalations',
      '/escalations/resolved',
      '/escalations/{id}/resolve',
      '/health',
      '/meetings',
      '/meetings/recommendations',
      '/meetings/{id}',
      '/meetings/{id}/approve',
      '/meetings/{id}/items',
      '/meetings/{id}/items/{itemId}/decision',
      '/meetings/{id}/minutes',
      '/notifications/dead-letters',
      '/notifications/{id}/requeue',
      '/oversight/deadlines',
      '/oversight/quarters',
      '/oversight/sla',
      '/oversight/sla/{month}/recompute',
      '/oversight/stages',
      '/oversight/stalled',
      '/oversight/workload',
      '/pathways',
      '/pathways/{id}',
      '/pathways/{id}/closure/confirm',
      '/pathways/{id}/closure/reject',
      '/pathways/{id}/events',
      '/pathways/{id}/events/preview',
      '/pathways/{id}/person-correction',
      '/pathways/{id}/playbook-migration',
      '/pathways/{id}/reopen',
      '/pathways/{id}/suggested-tasks',
      '/pathways/{id}/tasks',
      '/pathways/{id}/timeline',
      '/persons',
      '/persons/{id}/access-report',
      '/persons/{id}/erasure',
      '/persons/{id}/retention',
      '/playbooks',
      '/playbooks/{version}',
      '/reports/figures/{year}',
      '/reports/goals/{year}',
      '/reports/yearly/{year}',
      '/retention/reviews',
      '/tasks/{id}',
      '/tasks/{id}/assign',
      '/tasks/{id}/cancel',
      '/tasks/{id}/claim',
      '/tasks/{id}/complete',
      '/tasks/{id}/extend',
      '/tasks/{id}/history',
      '/tasks/{id}/hold',
      '/tasks/{id}/notes',
      '/tasks/{id}/reassign',
      '/tasks/{id}/resume',
      '/tasks/{id}/unclaim',
    ]);
    // Each operation names its headers once (HTTP header names ignore case), as the README describes them.
    const headers: Record<string, { name: string; required?: boolean }[]> = {};
    for (const [route, operations] of Object.entries(res.body.paths as Record<string, Record<string, any>>)) {
      for (const [method, operation] of Object.entries(operations)) {
        const named = (operation.parameters ?? []).filter((p: any) => p.in === 'header');
        if (named.length > 0) headers[`${method.toUpperCase()} ${route}`] = named;
      }
    }
    for (const [operation, named] of Object.entries(headers)) {
      const lower = named.map((h) => h.name.toLowerCase());
      expect({ operation, headers: lower }).toEqual({ operation, headers: [...new Set(lower)] });
    }
    // No header names the caller any more: every operation but health and metrics needs the bearer token.
    expect(
      Object.values(headers)
        .flat()
        .filter((h) => h.name.toLowerCase() === 'x-agency'),
    ).toEqual([]);
    expect(res.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const paths = res.body.paths as Record<string, Record<string, { security?: unknown }>>;
    expect(paths['/pathways/{id}'].get.security).toEqual([{ bearer: [] }]);
    expect(paths['/health'].get.security).toBeUndefined();
    const ui = await fetch(`${stack.baseUrl}/api/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger');
  });
});

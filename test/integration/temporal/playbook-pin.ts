// The playbook pinned by version and content hash (issue 14, item 7): a pathway's input and its continue-as-new input
// carry the pin, not the document; each run loads the published version once (a local activity, recorded in
// history); a version that does not hash to its pin stops the run loudly without ending the pathway; runs started
// with the whole playbook go on, and switch to the pin when they continue as new. Real API, worker, Temporal and
// PostgreSQL; the histories are read as the server stores them and decoded with the codec.
import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation, WorkflowUpdateFailedError } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import * as proto from '@temporalio/proto';
import { PersonKeys } from '../../../libs/persistence/src';
import { AesGcmPayloadCodec } from '../../../libs/temporal/src';
import {
  PATHWAY_WORKFLOW_TYPE,
  contentHash,
  pathwayWorkflowId,
  type PathwayStatus,
  type PathwayWorkflowInput,
  type Playbook,
} from '../../../libs/domain/src';
import { completeTaskUpdate, recordEventUpdate } from '../../../workflows/pathway/messages';
import { drillPlaybook, eventually, publish, startDrill } from '../../support/drill';
import { birthDateForAge, http, pathwayRequest, startStack, type TestStack } from '../../support/stack';

type HistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;

let stack: TestStack;
let codec: AesGcmPayloadCodec;
beforeAll(async () => {
  stack = await startStack({ playbook: 3 });
  codec = new AesGcmPayloadCodec(stack.temporal.payloadKeys, new PersonKeys(stack.db, stack.temporal.payloadKeys));
});
afterAll(() => stack?.stop());

async function decode(payload: Payload): Promise<any> {
  const [decoded] = await codec.decode([payload]);
  return defaultPayloadConverter.fromPayload(decoded);
}

async function history(pathwayId: string, runId?: string): Promise<HistoryEvent[]> {
  const raw = await stack.client.workflowService.getWorkflowExecutionHistory({
    namespace: stack.temporal.namespace,
    execution: { workflowId: pathwayWorkflowId(pathwayId), ...(runId ? { runId } : {}) },
  });
  return raw.history?.events ?? [];
}

const startInput = async (events: HistoryEvent[]): Promise<PathwayWorkflowInput> =>
  decode(events[0].workflowExecutionStartedEventAttributes!.input!.payloads![0] as Payload);

/** The local activities a run ran (each recorded as a marker), by activity type. */
function localActivities(events: HistoryEvent[]): string[] {
  return events
    .filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity')
    .map((e) => {
      const data = e.markerRecordedEventAttributes!.details!.data!.payloads![0];
      return (JSON.parse(Buffer.from(data.data!).toString()) as { activity_type: string }).activity_type;
    });
}

async function publishedDocument(version: number): Promise<Playbook> {
  const [row]: { definition: Playbook }[] = await stack.db.query(
    'SELECT definition FROM playbooks WHERE version = $1',
    [version],
  );
  return row.definition;
}

async function publishedPin(version: number): Promise<{ version: number; contentHash: string }> {
  return { version, contentHash: contentHash(await publishedDocument(version)) };
}

it('starts a pathway through the API with the pinned playbook, not the document, and loads it once', async () => {
  const created = await http(stack, 'POST', '/pathways', pathwayRequest({ age: 16 }), {
    as: 'lokalpoliti-sagsbehandler',
  });
  expect(created.status).toBe(201);
  expect(created.body.playbookVersion).toBe(3);
  expect(created.body.tasks.length).toBeGreaterThan(0);

  const events = await history(created.body.id);
  const input = await startInput(events);
  expect(input.playbook).toBeUndefined();
  expect(input.playbookPin).toEqual(await publishedPin(3));
  // The input is the person, the contact and the pin: a few hundred bytes, not the 15 kB document.
  expect(JSON.stringify(input).length).toBeLessThan(1000);
  expect(localActivities(events)).toEqual(['loadPlaybook']);
  // Beside it, the same start as before pins (the whole v3 document in the input, as the API sent it), for the
  // figures in docs/PERFORMANCE.md: the history as the server stores it (protobuf, encrypted payloads).
  const whole = await startDrill(stack, { age: 16, playbook: (await publishedDocument(3)) as Playbook });
  const wholeEvents = await history(whole.id);
  const inputBytes = (e: HistoryEvent[]) =>
    e[0].workflowExecutionStartedEventAttributes!.input!.payloads![0].data!.length;
  expect(inputBytes(events)).toBeLessThan(1000);
  expect(inputBytes(wholeEvents)).toBeGreaterThan(10_000);
  const size = (e: HistoryEvent[]) => proto.temporal.api.history.v1.History.encode({ events: e }).finish().length;
  process.stdout.write(
    `fresh pathway start: pinned ${events.length} events, ${size(events)} bytes (input ${inputBytes(events)}); ` +
      `whole ${wholeEvents.length} events, ${size(wholeEvents)} bytes (input ${inputBytes(wholeEvents)})\n`,
  );

  // The workflow answers from the loaded playbook: the task a coordinator completes plans on as v3 says.
  const status = await stack.client.workflow.getHandle(pathwayWorkflowId(created.body.id)).query('status');
  expect(status).toMatchObject({ playbookVersion: 3, stage: 'CONTACT' });
});

it('answers the status query while the playbook is still loading, and once it is loaded', async () => {
  const playbook = drillPlaybook(1401);
  await publish(stack, playbook);
  const pin = await publishedPin(1401);
  // The playbooks table locked: the load waits (a local activity longer than a workflow task, so the worker completes
  // the first task as a heartbeat and the run is queryable before its playbook is there).
  const lock = stack.db.createQueryRunner();
  await lock.connect();
  await lock.startTransaction();
  await lock.query('LOCK TABLE playbooks IN ACCESS EXCLUSIVE MODE');
  const id = randomUUID();
  const input: PathwayWorkflowInput = {
    pathwayId: id,
    person: { name: 'Drill Person', birthDate: birthDateForAge(16), district: 'YDRE_NORREBRO' },
    contact: { sourceAgency: 'POLICE_LOCAL', occurredAt: new Date().toISOString(), context: 'Øvelse' },
    playbookPin: pin,
  };
  const handle = await stack.client.workflow.start(PATHWAY_WORKFLOW_TYPE, {
    workflowId: pathwayWorkflowId(id),
    taskQueue: stack.temporal.taskQueue,
    args: [input],
  });
  try {
    // No QueryNotRegisteredError: the handler was set before the load. It names the pinned version; nothing is
    // planned yet.
    const loading = await handle.query<PathwayStatus>('status');
    expect(loading).toMatchObject({ pathwayId: id, playbookVersion: 1401, stage: 'CONTACT', tasks: [], version: 0 });
  } finally {
    await lock.rollbackTransaction();
    await lock.release();
  }
  await handle.executeUpdate('sync');
  const loaded = await handle.query<PathwayStatus>('status');
  expect(loaded.tasks.map((t) => t.key).sort()).toEqual(['dks-home-visit', 'eas-registration', 'ssp-home-visit']);
});

it('judges an Update that arrives with the start, before the playbook is loaded, once it is', async () => {
  const playbook = drillPlaybook(1406);
  await publish(stack, playbook);
  const start = async () => {
    const id = randomUUID();
    const input: PathwayWorkflowInput = {
      pathwayId: id,
      person: { name: 'Drill Person', birthDate: birthDateForAge(16), district: 'YDRE_NORREBRO' },
      contact: { sourceAgency: 'POLICE_LOCAL', occurredAt: new Date().toISOString(), context: 'Øvelse' },
      playbookPin: await publishedPin(1406),
    };
    return new WithStartWorkflowOperation(PATHWAY_WORKFLOW_TYPE, {
      workflowId: pathwayWorkflowId(id),
      taskQueue: stack.temporal.taskQueue,
      workflowIdConflictPolicy: 'FAIL',
      args: [input],
    });
  };
  // The Update is in the first workflow task, with the start: its validator runs before the load and lets it in; the
  // handler waits for the playbook and applies it (consent opens the stage's consent-bound work as the playbook says).
  const consent = await stack.client.workflow.executeUpdateWithStart(recordEventUpdate, {
    args: [{ occurredAt: new Date().toISOString(), recordedBy: 'OPERATIVE_GROUP', data: { type: 'CONSENT_GIVEN' } }],
    startWorkflowOperation: await start(),
  });
  expect(consent).toMatchObject({ playbookVersion: 1406, consent: true, stage: 'CONTACT' });
  expect(consent.tasks.map((t) => t.key).sort()).toEqual(['dks-home-visit', 'eas-registration', 'ssp-home-visit']);

  // A command the playbook's work refuses: refused after the load with the reason the validator would have given.
  const operation = await start();
  const refused = await stack.client.workflow
    .executeUpdateWithStart(completeTaskUpdate, {
      args: [{ taskId: randomUUID(), outcome: 'DONE', completedBy: 'SSP' }],
      startWorkflowOperation: operation,
    })
    .catch((err: unknown) => err);
  expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
  expect((refused as WorkflowUpdateFailedError).cause?.message).toBe('task not found');
  // The pathway started and runs on, planned from the loaded playbook.
  const handle = await operation.workflowHandle();
  const status = await handle.query<PathwayStatus>('status');
  expect(status.tasks.map((t) => t.key).sort()).toEqual(['dks-home-visit', 'eas-registration', 'ssp-home-visit']);
  expect((await handle.describe()).status.name).toBe('RUNNING');
});

it('continues as new with the pin: a run started whole switches to it, a pinned run keeps it', async () => {
  const playbook = drillPlaybook(1402);
  await publish(stack, playbook);
  // Started as before pins (the whole document), published as is: its first continue-as-new switches to the pin.
  const drill = await startDrill(stack, { age: 16, playbook, maxHistoryEvents: 30 });
  const firstRun = drill.handle.firstExecutionRunId;
  expect((await startInput(await history(drill.id, firstRun))).playbook).toBeDefined();
  await drill.complete('eas-registration');
  await drill.complete('ssp-home-visit');
  await drill.complete('dks-home-visit');
  await drill.event({ type: 'MOTIVATION_ASSESSED', motivated: true });
  await eventually(
    () => drill.status(),
    (s) => s.runs >= 1,
  );
  const first = await history(drill.id, firstRun);
  const continued = first.at(-1)!.workflowExecutionContinuedAsNewEventAttributes!;
  const next = (await decode(continued.input!.payloads![0] as Payload)) as PathwayWorkflowInput;
  expect(next.playbook).toBeUndefined();
  expect(next.playbookPin).toEqual(await publishedPin(1402));
  expect(next.state?.runs).toBe(1);
  process.stdout.write(`continue-as-new input, pinned: ${continued.input!.payloads![0].data!.length} bytes\n`);
  // The check that the published version has exactly this content ran once, in the run that switched.
  expect(localActivities(first)).toEqual(['isPlaybookPublished']);

  // The second run loads it, and works on: a command plans as the playbook says.
  await drill.complete('joint-assessment');
  const assessed = await drill.event({ type: 'ASSESSED', track: 'OUTREACH', reasons: 'Opsøgende indsats' });
  expect(assessed.stage).toBe('INTERVENTION');
  expect(assessed.playbookVersion).toBe(1402);
  const second = await history(drill.id, continued.newExecutionRunId!);
  expect(localActivities(second)[0]).toBe('loadPlaybook');

  // A pinned run continues with the same pin, without asking again.
  const districts = ['TINGBJERG', 'YDRE_NORREBRO'] as const;
  for (let i = 0; (await drill.status()).runs < 2; i++) {
    if (i > 40) throw new Error('the second run never continued as new');
    await drill.event({ type: 'MOVED', district: districts[i % 2] });
  }
  const secondAgain = await history(drill.id, continued.newExecutionRunId!);
  const third = (await decode(
    secondAgain.at(-1)!.workflowExecutionContinuedAsNewEventAttributes!.input!.payloads![0] as Payload,
  )) as PathwayWorkflowInput;
  expect(third.playbook).toBeUndefined();
  expect(third.playbookPin).toEqual(await publishedPin(1402));
  expect(localActivities(secondAgain)).toEqual(['loadPlaybook']);
});

it('keeps a run whose playbook is not published (or differs) whole when it continues as new', async () => {
  // Published under its version with other content: the pin would not load, so the next run carries the document.
  const published = drillPlaybook(1403);
  await publish(stack, published);
  const carried = { ...published, name: 'drill 1403, changed after publishing' };
  const drill = await startDrill(stack, { age: 16, playbook: carried, maxHistoryEvents: 30 });
  await drill.complete('eas-registration');
  await drill.complete('ssp-home-visit');
  await drill.complete('dks-home-visit');
  await drill.event({ type: 'MOTIVATION_ASSESSED', motivated: true });
  await eventually(
    () => drill.status(),
    (s) => s.runs >= 1,
  );
  const first = await history(drill.id, drill.handle.firstExecutionRunId);
  const next = (await decode(
    first.at(-1)!.workflowExecutionContinuedAsNewEventAttributes!.input!.payloads![0] as Payload,
  )) as PathwayWorkflowInput;
  expect(next.playbookPin).toBeUndefined();
  expect(next.playbook).toEqual(carried);
  const payload = first.at(-1)!.workflowExecutionContinuedAsNewEventAttributes!.input!.payloads![0];
  process.stdout.write(`continue-as-new input, whole: ${payload.data!.length} bytes\n`);
});

it('stops a run whose pinned version does not hash to its pin, saying so, and leaves the pathway running', async () => {
  const playbook = drillPlaybook(1404);
  await publish(stack, playbook);
  const wrong = { version: 1404, contentHash: contentHash({ ...playbook, name: 'another document' }) };
  const id = randomUUID();
  const input: PathwayWorkflowInput = {
    pathwayId: id,
    person: { name: 'Drill Person', birthDate: birthDateForAge(16), district: 'YDRE_NORREBRO' },
    contact: { sourceAgency: 'POLICE_LOCAL', occurredAt: new Date().toISOString(), context: 'Øvelse' },
    playbookPin: wrong,
  };
  const handle = await stack.client.workflow.start(PATHWAY_WORKFLOW_TYPE, {
    workflowId: pathwayWorkflowId(id),
    taskQueue: stack.temporal.taskQueue,
    args: [input],
  });
  const failed = await eventually(
    async () => (await history(id)).find((e) => e.workflowTaskFailedEventAttributes),
    (e) => e !== undefined,
  );
  // The failure's message is encrypted with the rest (encodeCommonAttributes): decoded, it names version and hashes.
  const failure = failed!.workflowTaskFailedEventAttributes!.failure!;
  const { message } = (await decode(failure.encodedAttributes as Payload)) as { message: string };
  expect(message).toBe(
    `the pinned playbook cannot be loaded: playbook version 1404 does not match its pin: content hash ` +
      `${contentHash(playbook)} is published, ${wrong.contentHash} was pinned`,
  );
  // The failed workflow task recorded nothing (no marker), so each retry of it loads afresh: a repaired row heals
  // the run. The pathway is not ended meanwhile.
  expect(localActivities(await history(id))).toEqual([]);
  expect((await handle.describe()).status.name).toBe('RUNNING');
  // Nothing reached the read model.
  expect(await stack.db.query('SELECT id FROM pathways WHERE id = $1', [id])).toEqual([]);
  await handle.terminate('test done');
});

// The pathway workflow through Temporal directly, one real-time drill per Temporal concern: the status query, an
// update validator that turns bad commands away before they reach history, a timer firing (the escalation ladder),
// continue-as-new in the middle of a path. The rules themselves (paths, ladder, handovers, release dates, age,
// stalls) are unit tests of the machine with a fake clock: test/unit/pathway-machine-*.spec.ts. Worker restart is
// in durability.ts, replay in replay.ts (beside this file).
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { PATHWAY_WORKFLOW_TYPE, pathwayWorkflowId, type PathwayInput, type Playbook } from '../../../libs/domain/src';
import { completeTaskUpdate, statusQuery, syncUpdate } from '../../../workflows/pathway/messages';
import { pathwayStageKey } from '../../../workflows/pathway/search-attributes';
import playbookV1 from '../../../libs/domain/playbooks/v1.json';
import { drillPlaybook, eventually, publish, queueKeys, startDrill } from '../../support/drill';
import { birthDateForAge, http, startStack, type TestStack } from '../../support/stack';

const sla: Playbook = {
  version: 2001,
  name: 'SLA drill',
  stallAfter: { kind: 'duration', seconds: 3600 },
  stages: {
    CONTACT: {
      tasks: [
        {
          key: 'sla-task',
          agency: 'POLICE_EAS',
          type: 'REGISTRATION_ANALYSIS',
          title: 'Registrering',
          due: { kind: 'duration', seconds: 2 },
          reminderShare: [0.25, 0.5],
          escalateAfter: { kind: 'duration', seconds: 1 },
        },
      ],
    },
  },
};
const drill1001 = drillPlaybook(1001);

describe('pathway workflow', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack();
    await stack.db.query(
      `INSERT INTO playbooks (version, name, definition) VALUES (1, 'v1', $1) ON CONFLICT DO NOTHING`,
      [playbookV1],
    );
    await publish(stack, sla);
    await publish(stack, drill1001);
  });
  afterAll(async () => {
    await stack.stop();
  });

  async function start(age: number) {
    const pathwayId = randomUUID();
    const input: PathwayInput = {
      pathwayId,
      person: { name: 'Workflow Testperson', birthDate: birthDateForAge(age), district: 'INDRE_NORREBRO' },
      contact: { sourceAgency: 'SSP', occurredAt: new Date().toISOString(), context: 'Bekymring fra skolen' },
      playbook: playbookV1 as Playbook,
    };
    const handle = await stack.client.workflow.start(PATHWAY_WORKFLOW_TYPE, {
      workflowId: pathwayWorkflowId(pathwayId),
      taskQueue: stack.temporal.taskQueue,
      args: [input],
    });
    await handle.executeUpdate(syncUpdate);
    return handle;
  }

  it('answers the status query with the stage and the planned tasks', async () => {
    const handle = await start(17);
    const status = await handle.query(statusQuery);
    expect(status.stage).toBe('CONTACT');
    expect(status.playbookVersion).toBe(1);
    expect(status.tasks.map((t) => t.key)).toEqual(['eas-registration', 'ssp-home-visit', 'dks-home-visit']);
  });

  it.each([
    ['an unknown task', { taskId: randomUUID(), outcome: 'DONE', completedBy: 'SSP' }, 'TaskNotFound'],
    ['a blank outcome', { outcome: '  ', completedBy: 'SSP' }, 'InvalidInput'],
    ['no acting agency', { outcome: 'DONE', completedBy: '' }, 'InvalidInput'],
    // PostgreSQL cannot store it: accepted, it would stop every later write of this pathway.
    ['a NUL character in the outcome', { outcome: 'ok\u0000', completedBy: 'SSP' }, 'InvalidInput'],
    ['free text for an outcome', { outcome: 'Udført', completedBy: 'SSP' }, 'InvalidInput'],
    ['a NUL character in the note', { outcome: 'DONE', note: 'ok\u0000', completedBy: 'SSP' }, 'InvalidInput'],
  ])('rejects completing with %s in the validator, leaving history untouched', async (_name, args, type) => {
    const handle = await start(16);
    const status = await handle.query(statusQuery);
    const before = (await handle.fetchHistory()).events!.length;
    const attempt = handle.executeUpdate(completeTaskUpdate, {
      args: [{ taskId: status.tasks[0].id, ...args } as { taskId: string; outcome: string; completedBy: string }],
    });
    await expect(attempt).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    // The refusal travels whole in the failure's details (through the payload codec): the API reads it from there.
    await expect(attempt).rejects.toMatchObject({ cause: { type, details: [expect.objectContaining({ type })] } });
    expect((await handle.fetchHistory()).events!.length).toBe(before);
    expect((await handle.query(statusQuery)).tasks.every((t) => t.status === 'OPEN')).toBe(true);
  });

  it('started through the API in one round trip; search attributes are upserted only when a value changes', async () => {
    const opened = await http(
      stack,
      'POST',
      '/pathways',
      {
        person: { name: 'Søgeattribut Testperson', birthDate: birthDateForAge(20), district: 'INDRE_NORREBRO' },
        contact: { sourceAgency: 'POLICE_LOCAL', occurredAt: new Date().toISOString(), context: 'Anholdt' },
      },
      { as: 'lokalpoliti-sagsbehandler' },
    );
    expect(opened.status).toBe(201);
    const handle = stack.client.workflow.getHandle(pathwayWorkflowId(opened.body.id));
    // Two facts that change no search attribute (stage, district, overdue and stalled stay as they were).
    for (const type of ['CONSENT_GIVEN', 'CONSENT_WITHDRAWN']) {
      const res = await http(
        stack,
        'POST',
        `/pathways/${opened.body.id}/events`,
        { type, occurredAt: new Date(Date.now() - 60_000).toISOString() },
        { as: 'koordinator' },
      );
      expect(res.status).toBe(200);
    }
    const { events } = await handle.fetchHistory();
    // The pathway's own attributes (the SDK records each patch marker as a TemporalChangeVersion upsert of its own).
    const upserts = (events ?? [])
      .map((e) => Object.keys(e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {}))
      .filter((names) => names.length > 0 && !names.includes('TemporalChangeVersion'))
      .map((names) => names.sort());
    // Once at the start (overdue and stalled are new), never for the two facts; the playbook this stack publishes
    // last may have a task overdue within seconds, which is one more upsert of that flag alone. Stage and district
    // never change here, so they are never upserted again (before: every attribute after every command).
    expect(upserts[0]).toEqual(['PathwayOverdue', 'PathwayStalled']);
    expect(upserts.slice(1).every((names) => names.length === 1 && names[0] === 'PathwayOverdue')).toBe(true);
    expect(upserts.length).toBeLessThanOrEqual(2);
    // The sync Update that came with the start (update-with-start) and the two events.
    expect((events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes)).toHaveLength(3);
    expect((await handle.describe()).typedSearchAttributes.get(pathwayStageKey)).toBe('CONTACT');
  });

  it('rejects a second completion of the same task', async () => {
    const handle = await start(25);
    const [task] = (await handle.query(statusQuery)).tasks;
    const done = await handle.executeUpdate(completeTaskUpdate, {
      args: [{ taskId: task.id, outcome: 'DONE', completedBy: 'POLICE_EAS' }],
    });
    expect(done.stage).toBe('ASSESSMENT');
    await expect(
      handle.executeUpdate(completeTaskUpdate, {
        args: [{ taskId: task.id, outcome: 'DONE', completedBy: 'POLICE_EAS' }],
      }),
    ).rejects.toMatchObject({ cause: { type: 'TaskNotOpen', message: 'task is already DONE' } });
  });

  it('a timer fires: reminds twice, raises level 1 at the deadline and level 2 after, into the read model', async () => {
    const drill = await startDrill(stack, { age: 30, playbook: sla });
    const taskRow = async () =>
      (
        await stack.db.query('SELECT overdue, escalation_level FROM tasks WHERE pathway_id = $1 AND task_key = $2', [
          drill.id,
          'sla-task',
        ])
      )[0];
    await eventually(taskRow, (row) => row.escalation_level === 2, 15000);
    const entries: { kind: string }[] = await stack.db.query(
      `SELECT kind FROM timeline_entries WHERE pathway_id = $1 AND detail->>'key' = 'sla-task' ORDER BY sequence`,
      [drill.id],
    );
    expect(entries.map((e) => e.kind)).toEqual([
      'TASK_CREATED',
      'TASK_REMINDED',
      'TASK_REMINDED',
      'TASK_OVERDUE',
      'ESCALATED',
      'ESCALATED',
    ]);
    expect(await taskRow()).toEqual({ overdue: true, escalation_level: 2 });
    const escalations = await stack.db.query(
      'SELECT level, escalated_to, status FROM escalations WHERE pathway_id = $1 ORDER BY level',
      [drill.id],
    );
    expect(escalations).toEqual([
      { level: 1, escalated_to: 'OPERATIVE_GROUP', status: 'OPEN' },
      { level: 2, escalated_to: 'SIKKER_BY', status: 'OPEN' },
    ]);
    const outbox: { agency_code: string; kind: string }[] = await stack.db.query(
      'SELECT agency_code, kind FROM notifications WHERE pathway_id = $1',
      [drill.id],
    );
    expect(outbox.map((n) => `${n.agency_code}:${n.kind}`)).toEqual(
      expect.arrayContaining([
        'POLICE_EAS:TASK_REMINDER',
        'POLICE_EAS:TASK_OVERDUE',
        'OPERATIVE_GROUP:ESCALATION_RAISED',
        'SIKKER_BY:ESCALATION_RAISED',
      ]),
    );
    expect((await drill.handle.describe()).searchAttributes.PathwayOverdue).toEqual([true]);
  });

  it('continues as new in the middle of a path without losing state or a concurrent command', async () => {
    const drill = await startDrill(stack, { age: 16, playbook: drill1001, maxHistoryEvents: 40 });
    await drill.complete('eas-registration');
    await drill.complete('ssp-home-visit');
    // Several commands at once, around the point where the history passes its limit.
    await Promise.all([
      drill.complete('dks-home-visit'),
      drill.event({ type: 'MOVED', district: 'TINGBJERG' }),
      drill.event({ type: 'MOTIVATION_ASSESSED', motivated: true }),
    ]);
    await drill.complete('joint-assessment');
    await drill.event({ type: 'ASSESSED', track: 'OUTREACH', reasons: 'Opsøgende indsats' });
    const status = await eventually(
      () => drill.status(),
      (s) => s.runs > 0,
    );
    expect(status.stage).toBe('INTERVENTION');
    expect(status.district).toBe('TINGBJERG');
    expect(status.motivated).toBe(true);
    expect(
      status.tasks
        .filter((t) => t.status === 'DONE')
        .map((t) => t.key)
        .sort(),
    ).toEqual(['dks-home-visit', 'eas-registration', 'joint-assessment', 'ssp-home-visit']);
    const after = await drill.event({ type: 'ARRESTED' });
    expect(after.stage).toBe('CUSTODY');
    const entries = (await http(stack, 'GET', `/pathways/${drill.id}`, undefined, { as: 'koordinator' })).body
      .timeline as { sequence: number }[];
    // One timeline, numbered without gaps or repeats across runs.
    expect(entries.map((e) => e.sequence)).toEqual(entries.map((_, i) => i + 1));
    expect(await queueKeys(stack, 'CFR', drill.id, 'cfr-sagsbehandler')).toEqual(['cfr-outreach']);
  });
});

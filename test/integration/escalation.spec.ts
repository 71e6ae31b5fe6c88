// The escalation ladder with spans in seconds: reminders, overdue and level 1 to the operative group, level 2 to
// Sikker By, extension, reassignment, handovers acknowledged and not, stalled pathways raised and cleared.
import { type Playbook } from '../../libs/domain/src';
import {
  cancelTaskUpdate,
  extendTaskUpdate,
  reassignTaskUpdate,
  resolveEscalationUpdate,
} from '../../workflows/pathway/messages';
import { eventually, publish, startDrill, type Drill } from '../support/drill';
import { http, startStack, type TestStack } from '../support/stack';

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
          due: { kind: 'duration', seconds: 4 },
          reminderShare: [0.25, 0.5],
          escalateAfter: { kind: 'duration', seconds: 2 },
        },
        {
          key: 'release-handover',
          agency: 'KRIMINALFORSORGEN',
          type: 'HANDOVER',
          title: 'Overdragelse til kommunen',
          due: { kind: 'duration', seconds: 600 },
          handoverTo: 'EKI',
          acknowledgeWithin: { kind: 'duration', seconds: 3 },
          escalateAfter: { kind: 'duration', seconds: 600 },
        },
      ],
    },
  },
};
const stalling: Playbook = {
  version: 2002,
  name: 'Stall drill',
  stallAfter: { kind: 'duration', seconds: 3 },
  stages: {
    CONTACT: {
      tasks: [
        {
          key: 'slow-task',
          agency: 'SSP',
          type: 'PREVENTIVE_HOME_VISIT',
          title: 'Hjemmebesøg',
          due: { kind: 'duration', seconds: 600 },
        },
      ],
    },
  },
};

describe('escalation ladder', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack();
    await publish(stack, sla);
    await publish(stack, stalling);
  });
  afterAll(async () => {
    await stack.stop();
  });

  const kinds = async (id: string) =>
    (
      (await stack.db.query('SELECT kind, detail FROM timeline_entries WHERE pathway_id = $1 ORDER BY sequence', [
        id,
      ])) as { kind: string; detail: Record<string, string> }[]
    ).map((e) => (e.detail.key ? `${e.kind}:${e.detail.key}` : e.kind));
  const taskRow = async (id: string, key: string) =>
    (
      await stack.db.query(
        'SELECT id, agency_code, status, overdue, escalation_level, due_at FROM tasks WHERE pathway_id = $1 AND task_key = $2',
        [id, key],
      )
    )[0];
  const escalations = async (id: string) =>
    (await stack.db.query(
      'SELECT id, kind, level, escalated_to, status, decision FROM escalations WHERE pathway_id = $1 ORDER BY level, raised_at',
      [id],
    )) as { id: string; kind: string; level: number; escalated_to: string; status: string; decision: string | null }[];
  const taskId = async (drill: Drill, key: string) => (await drill.status()).tasks.find((t) => t.key === key)!.id;

  it('reminds twice, then raises level 1 to the operative group at the deadline and level 2 to Sikker By after', async () => {
    const drill = await startDrill(stack, { age: 30, playbook: sla });
    await eventually(
      () => taskRow(drill.id, 'sla-task'),
      (row) => row.escalation_level === 2,
      15000,
    );
    const entries = (await kinds(drill.id)).filter((k) => k.endsWith(':sla-task'));
    expect(entries).toEqual([
      'TASK_CREATED:sla-task',
      'TASK_REMINDED:sla-task',
      'TASK_REMINDED:sla-task',
      'TASK_OVERDUE:sla-task',
      'ESCALATED:sla-task',
      'ESCALATED:sla-task',
    ]);
    expect(await taskRow(drill.id, 'sla-task')).toMatchObject({ status: 'OPEN', overdue: true, escalation_level: 2 });
    expect((await escalations(drill.id)).map((e) => [e.kind, e.level, e.escalated_to, e.status])).toEqual([
      ['TASK_OVERDUE', 1, 'OPERATIVE_GROUP', 'OPEN'],
      ['TASK_OVERDUE', 2, 'SIKKER_BY', 'OPEN'],
    ]);
    const outbox: { agency_code: string; kind: string }[] = await stack.db.query(
      'SELECT agency_code, kind FROM notifications WHERE pathway_id = $1 ORDER BY created_at, id',
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
    const description = await drill.handle.describe();
    expect(description.searchAttributes.PathwayOverdue).toEqual([true]);
  });

  it('an extension by the operative group restarts the ladder and answers the escalations', async () => {
    const drill = await startDrill(stack, { age: 30, playbook: sla });
    await eventually(
      () => taskRow(drill.id, 'sla-task'),
      (row) => row.escalation_level === 1,
      10000,
    );
    const id = await taskId(drill, 'sla-task');
    await expect(
      drill.handle.executeUpdate(extendTaskUpdate, {
        args: [
          {
            taskId: id,
            requestedBy: 'POLICE_EAS',
            dueAt: new Date(Date.now() + 60000).toISOString(),
            reason: 'travlt',
          },
        ],
      }),
    ).rejects.toMatchObject({ cause: { type: 'NotAllowed' } });
    const dueAt = new Date(Date.now() + 60000).toISOString();
    await drill.handle.executeUpdate(extendTaskUpdate, {
      args: [{ taskId: id, requestedBy: 'OPERATIVE_GROUP', dueAt, reason: 'Afventer svar fra skolen' }],
    });
    expect(await taskRow(drill.id, 'sla-task')).toMatchObject({ overdue: false, escalation_level: 0 });
    expect((await taskRow(drill.id, 'sla-task')).due_at.toISOString()).toBe(dueAt);
    expect((await escalations(drill.id)).map((e) => [e.level, e.status, e.decision])).toEqual([
      [1, 'RESOLVED', 'EXTEND'],
    ]);
    expect(await kinds(drill.id)).toContain('DEADLINE_EXTENDED:sla-task');
  });

  it('reassignment by the operative group moves the task to another agency’s queue', async () => {
    const drill = await startDrill(stack, { age: 30, playbook: sla });
    await eventually(
      () => taskRow(drill.id, 'sla-task'),
      (row) => row.escalation_level === 1,
      10000,
    );
    const [escalation] = await escalations(drill.id);
    await drill.handle.executeUpdate(resolveEscalationUpdate, {
      args: [
        {
          escalationId: escalation.id,
          decision: 'REASSIGN',
          toAgency: 'POLICE_LOCAL',
          note: 'Lokalpolitiet kender familien',
          requestedBy: 'OPERATIVE_GROUP',
        },
      ],
    });
    expect(await taskRow(drill.id, 'sla-task')).toMatchObject({ agency_code: 'POLICE_LOCAL', status: 'OPEN' });
    expect((await escalations(drill.id))[0]).toMatchObject({ status: 'RESOLVED', decision: 'REASSIGN' });
    const again = drill.handle.executeUpdate(reassignTaskUpdate, {
      args: [
        {
          taskId: await taskId(drill, 'sla-task'),
          requestedBy: 'OPERATIVE_GROUP',
          toAgency: 'POLICE_LOCAL',
          reason: 'x',
        },
      ],
    });
    await expect(again).rejects.toMatchObject({ cause: { type: 'TaskConflict' } });
  });

  it('a handover keeps the sender responsible until the receiver acknowledges', async () => {
    const drill = await startDrill(stack, { age: 30, playbook: sla });
    await drill.complete('release-handover', 'Løsladelsespapirer sendt');
    expect(await taskRow(drill.id, 'release-handover')).toMatchObject({
      status: 'OPEN',
      agency_code: 'KRIMINALFORSORGEN',
    });
    const ack = await taskRow(drill.id, 'release-handover-ack');
    expect(ack).toMatchObject({ status: 'OPEN', agency_code: 'EKI' });
    // The sender cannot let go by completing again.
    await expect(drill.complete('release-handover')).rejects.toMatchObject({ cause: { type: 'TaskConflict' } });
    await drill.complete('release-handover-ack', 'Overtaget af EKI');
    expect(await taskRow(drill.id, 'release-handover')).toMatchObject({ status: 'DONE' });
    expect(await kinds(drill.id)).toEqual(
      expect.arrayContaining(['HANDOVER_REQUESTED:release-handover', 'HANDOVER_ACKNOWLEDGED:release-handover']),
    );
  });

  it('a handover nobody acknowledges escalates while the sender still holds it', async () => {
    const drill = await startDrill(stack, { age: 30, playbook: sla });
    await drill.complete('release-handover', 'Sendt');
    await eventually(
      () => taskRow(drill.id, 'release-handover-ack'),
      (row) => row.escalation_level === 1,
      10000,
    );
    expect(await taskRow(drill.id, 'release-handover')).toMatchObject({ status: 'OPEN', escalation_level: 0 });
    const ackId: string = (await taskRow(drill.id, 'release-handover-ack')).id;
    const raised = (await escalations(drill.id)).filter((e) => e.id.startsWith(ackId));
    expect(raised.map((e) => [e.kind, e.escalated_to])).toEqual([['TASK_OVERDUE', 'OPERATIVE_GROUP']]);
    // The operative group cancels the escalated acknowledgement; the sender is still on the hook.
    await drill.handle.executeUpdate(cancelTaskUpdate, {
      args: [
        {
          taskId: (await taskRow(drill.id, 'release-handover-ack')).id,
          requestedBy: 'OPERATIVE_GROUP',
          reason: 'Ny modtager',
        },
      ],
    });
    expect(await taskRow(drill.id, 'release-handover')).toMatchObject({ status: 'OPEN' });
    // No acknowledgement is coming: the sender may hand over again, to a fresh acknowledgement.
    const sender = (await drill.status()).tasks.find((t) => t.key === 'release-handover')!;
    expect(sender.handover).toEqual({ to: 'EKI', state: 'NOT_STARTED' });
    const again = await drill.complete('release-handover', 'Sendt igen');
    const acks = again.tasks.filter((t) => t.key === 'release-handover-ack');
    expect(acks.map((t) => t.status)).toEqual(['CANCELLED', 'OPEN']);
    expect(again.tasks.find((t) => t.key === 'release-handover')!.handover).toMatchObject({ state: 'AWAITING_ACK' });
  });

  it('cancelling a handover that waits for its acknowledgement cancels the acknowledgement too', async () => {
    const drill = await startDrill(stack, { age: 30, playbook: sla });
    await drill.complete('release-handover', 'Sendt');
    const status = await drill.handle.executeUpdate(cancelTaskUpdate, {
      args: [
        { taskId: await taskId(drill, 'release-handover'), requestedBy: 'OPERATIVE_GROUP', reason: 'Ikke længere' },
      ],
    });
    expect(
      status.tasks.filter((t) => t.key.startsWith('release-handover')).map((t) => [t.key, t.status, t.cancelReason]),
    ).toEqual([
      ['release-handover', 'CANCELLED', 'Ikke længere'],
      ['release-handover-ack', 'CANCELLED', 'Ikke længere'],
    ]);
    expect(
      await http(stack, 'GET', `/agencies/EKI/tasks`).then((r) => r.body.items.map((t: any) => t.pathwayId)),
    ).not.toContain(drill.id);
  });

  it('a pathway with no progress is flagged stalled and escalated; progress clears it', async () => {
    const drill = await startDrill(stack, { age: 17, playbook: stalling });
    const stalled = async () =>
      (await stack.db.query('SELECT stalled FROM pathways WHERE id = $1', [drill.id]))[0].stalled;
    await eventually(stalled, (value) => value === true, 10000);
    expect((await escalations(drill.id)).map((e) => [e.kind, e.escalated_to, e.status])).toEqual([
      ['PATHWAY_STALLED', 'OPERATIVE_GROUP', 'OPEN'],
    ]);
    expect((await drill.handle.describe()).searchAttributes.PathwayStalled).toEqual([true]);
    // A stalled pathway has no task to extend: the decision is what is wrong.
    const [{ id: stallId }] = await escalations(drill.id);
    const extend = await http(
      stack,
      'POST',
      `/escalations/${encodeURIComponent(stallId)}/resolve`,
      { decision: 'EXTEND', note: 'Mere tid', dueAt: new Date(Date.now() + 86400_000).toISOString() },
      { 'x-agency': 'OPERATIVE_GROUP' },
    );
    expect([extend.status, extend.body.errors]).toEqual([
      400,
      [{ field: 'decision', reason: expect.stringMatching(/NOTE/) }],
    ]);
    await drill.event({ type: 'MOTIVATION_ASSESSED', motivated: true });
    expect(await stalled()).toBe(false);
    expect((await escalations(drill.id))[0]).toMatchObject({ status: 'RESOLVED', decision: 'PROGRESS' });
    expect(await kinds(drill.id)).toEqual(expect.arrayContaining(['PATHWAY_STALLED', 'PATHWAY_UNSTALLED']));
  });

  it('a pathway that only waits for its next scheduled step (release planning) is not stalled', async () => {
    const drill = await startDrill(stack, { age: 30, playbook: stalling });
    await drill.event({ type: 'SENTENCED', expectedReleaseDate: new Date(Date.now() + 200 * 86400_000).toISOString() });
    await drill.handle.executeUpdate(cancelTaskUpdate, {
      args: [{ taskId: await taskId(drill, 'slow-task'), requestedBy: 'OPERATIVE_GROUP', reason: 'Afsoner' }],
    });
    await new Promise((r) => setTimeout(r, 4500));
    expect((await stack.db.query('SELECT stalled FROM pathways WHERE id = $1', [drill.id]))[0].stalled).toBe(false);
    expect(await escalations(drill.id)).toEqual([]);
  });
});

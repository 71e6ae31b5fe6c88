// The pathway workflow through Temporal directly: its status query, and an update validator that turns bad
// commands away before they reach history.
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { PATHWAY_WORKFLOW_TYPE, pathwayWorkflowId, type PathwayInput, type Playbook } from '../../libs/domain/src';
import { completeTaskUpdate, statusQuery, syncUpdate } from '../../workflows/pathway/messages';
import playbookV1 from '../../libs/domain/playbooks/v1.json';
import { birthDateForAge, startStack, type TestStack } from '../support/stack';

describe('pathway workflow', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack();
    await stack.db.query(
      `INSERT INTO playbooks (version, name, definition) VALUES (1, 'v1', $1) ON CONFLICT DO NOTHING`,
      [playbookV1],
    );
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
    ['an unknown task', { taskId: randomUUID(), outcome: 'ok', completedBy: 'SSP' }, 'TaskNotFound'],
    ['a blank outcome', { outcome: '  ', completedBy: 'SSP' }, 'InvalidInput'],
    ['no acting agency', { outcome: 'ok', completedBy: '' }, 'InvalidInput'],
    // PostgreSQL cannot store it: accepted, it would stop every later write of this pathway.
    ['a NUL character in the outcome', { outcome: 'ok\u0000', completedBy: 'SSP' }, 'InvalidInput'],
  ])('rejects completing with %s in the validator, leaving history untouched', async (_name, args, type) => {
    const handle = await start(16);
    const status = await handle.query(statusQuery);
    const before = (await handle.fetchHistory()).events!.length;
    const attempt = handle.executeUpdate(completeTaskUpdate, {
      args: [{ taskId: status.tasks[0].id, ...args } as { taskId: string; outcome: string; completedBy: string }],
    });
    await expect(attempt).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    await expect(attempt).rejects.toMatchObject({ cause: { type } });
    expect((await handle.fetchHistory()).events!.length).toBe(before);
    expect((await handle.query(statusQuery)).tasks.every((t) => t.status === 'OPEN')).toBe(true);
  });

  it('rejects a second completion of the same task', async () => {
    const handle = await start(25);
    const [task] = (await handle.query(statusQuery)).tasks;
    const done = await handle.executeUpdate(completeTaskUpdate, {
      args: [{ taskId: task.id, outcome: 'Analyseret', completedBy: 'POLICE_EAS' }],
    });
    expect(done.stage).toBe('ASSESSMENT');
    await expect(
      handle.executeUpdate(completeTaskUpdate, {
        args: [{ taskId: task.id, outcome: 'Igen', completedBy: 'POLICE_EAS' }],
      }),
    ).rejects.toMatchObject({ cause: { type: 'TaskNotOpen', message: 'task is already DONE' } });
  });
});

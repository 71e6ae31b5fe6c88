import type { Stage, Task, TaskStatus } from '../../libs/domain/src/pathway';
import { stageAfterTasks } from '../../libs/domain/src/stage-rules';

let counter = 0;
function task(stage: Stage, status: TaskStatus, key = `task-${++counter}`): Task {
  return {
    id: `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`,
    pathwayId: '3f1c2b9e-8a4d-4c6e-9b2a-1d5e7f0a9c3b',
    key,
    stage,
    agency: 'SSP',
    type: 'HOME_VISIT',
    title: 'Hjemmebesøg',
    status,
    createdAt: '2026-03-30T08:00:00.000Z',
    dueAt: '2026-04-09T08:00:00.000Z',
  };
}

describe('stageAfterTasks', () => {
  it('moves CONTACT to ASSESSMENT once every CONTACT task is done', () => {
    expect(stageAfterTasks('CONTACT', [task('CONTACT', 'DONE'), task('CONTACT', 'DONE')])).toBe('ASSESSMENT');
  });

  it.each<TaskStatus>(['OPEN', 'CLAIMED'])('stays in CONTACT while a CONTACT task is %s', (status) => {
    expect(stageAfterTasks('CONTACT', [task('CONTACT', 'DONE'), task('CONTACT', status)])).toBeUndefined();
  });

  it('ignores cancelled CONTACT tasks', () => {
    expect(
      stageAfterTasks('CONTACT', [task('CONTACT', 'DONE'), task('CONTACT', 'CANCELLED'), task('CONTACT', 'DONE')]),
    ).toBe('ASSESSMENT');
  });

  it('ignores open tasks of other stages', () => {
    expect(
      stageAfterTasks('CONTACT', [
        task('CONTACT', 'DONE'),
        task('ASSESSMENT', 'OPEN'),
        task('INTERVENTION', 'CLAIMED'),
      ]),
    ).toBe('ASSESSMENT');
  });

  it('does not let done tasks of other stages stand in for open CONTACT tasks', () => {
    expect(stageAfterTasks('CONTACT', [task('CONTACT', 'OPEN'), task('ASSESSMENT', 'DONE')])).toBeUndefined();
  });

  it.each<Stage>(['ASSESSMENT', 'INTERVENTION', 'CUSTODY', 'RELEASE_PLANNING', 'FOLLOW_UP', 'CLOSED'])(
    'never moves on automatically from %s',
    (stage) => {
      expect(stageAfterTasks(stage, [task(stage, 'DONE'), task('CONTACT', 'DONE')])).toBeUndefined();
    },
  );
});

describe('stageAfterTasks after placement', () => {
  const placementTask = (status: TaskStatus) => task('PLACEMENT', status);
  it('moves PLACEMENT to FOLLOW_UP once the placement work is done', () => {
    expect(stageAfterTasks('PLACEMENT', [placementTask('DONE')])).toBe('FOLLOW_UP');
  });
  it('stays in PLACEMENT while placement work is open', () => {
    expect(stageAfterTasks('PLACEMENT', [placementTask('DONE'), placementTask('OPEN')])).toBeUndefined();
  });
});

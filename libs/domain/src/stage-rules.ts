// Which stage a pathway moves to when its work changes. Pure; the workflow applies the answer.
import type { Stage, Task } from './pathway';

/** The stage a pathway should move to once the current stage's tasks are finished, if any. */
export function stageAfterTasks(stage: Stage, tasks: readonly Task[]): Stage | undefined {
  if (stage !== 'CONTACT') return undefined;
  const stageTasks = tasks.filter((t) => t.stage === 'CONTACT' && t.status !== 'CANCELLED');
  return stageTasks.every((t) => t.status === 'DONE') ? 'ASSESSMENT' : undefined;
}

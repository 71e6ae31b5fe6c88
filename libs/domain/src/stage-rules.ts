// Which stage a pathway moves to when its work changes. Pure; the workflow applies the answer.
import type { Stage, Task } from './pathway/vocabulary';

/** Stages that end when their own tasks are finished, and where the pathway goes then. */
const ENDS_WITH_ITS_TASKS: Partial<Record<Stage, Stage>> = { CONTACT: 'ASSESSMENT', PLACEMENT: 'FOLLOW_UP' };

/** The stage a pathway should move to once the current stage's tasks are finished, if any. */
export function stageAfterTasks(
  stage: Stage,
  tasks: readonly Task[],
  { ignoreAdHoc = false }: { ignoreAdHoc?: boolean } = {},
): Stage | undefined {
  const next = ENDS_WITH_ITS_TASKS[stage];
  if (!next) return undefined;
  // An ad-hoc task (housing, a mentor) is work beside the stage's plan, not a step of it (with ignoreAdHoc).
  const stageTasks = tasks.filter(
    (t) => t.stage === stage && t.status !== 'CANCELLED' && !(ignoreAdHoc && t.type === 'AD_HOC'),
  );
  return stageTasks.every((t) => t.status === 'DONE') ? next : undefined;
}

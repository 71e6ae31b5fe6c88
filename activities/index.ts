import { createPathwayActivities, type PathwayActivityDeps } from './pathway.activities';
import { createPlaybookActivities, type PlaybookActivityDeps } from './playbook.activities';
import { createReconcileActivities, type ReconcileActivityDeps } from './reconcile.activities';
import { createRetentionActivities, type RetentionActivityDeps } from './retention.activities';

export type ActivityDeps = PathwayActivityDeps & PlaybookActivityDeps & RetentionActivityDeps & ReconcileActivityDeps;

/** Every activity the worker registers, built from its dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createPathwayActivities(deps),
    ...createPlaybookActivities(deps),
    ...createRetentionActivities(deps),
    ...createReconcileActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;

import { createPathwayActivities, type PathwayActivityDeps } from './pathway.activities';
import { createReconcileActivities, type ReconcileActivityDeps } from './reconcile.activities';

export type ActivityDeps = PathwayActivityDeps & ReconcileActivityDeps;

/** Every activity the worker registers, built from its dependencies. */
export function createActivities(deps: ActivityDeps) {
  return { ...createPathwayActivities(deps), ...createReconcileActivities(deps) };
}

export type Activities = ReturnType<typeof createActivities>;

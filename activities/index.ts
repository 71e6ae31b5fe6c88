import { createPathwayActivities, type PathwayActivityDeps } from './pathway.activities';
import { createRetentionActivities, type RetentionActivityDeps } from './retention.activities';

export type ActivityDeps = PathwayActivityDeps & RetentionActivityDeps;

/** Every activity the worker registers, built from its dependencies. */
export function createActivities(deps: ActivityDeps) {
  return { ...createPathwayActivities(deps), ...createRetentionActivities(deps) };
}

export type Activities = ReturnType<typeof createActivities>;

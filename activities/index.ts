import { createPathwayActivities, type PathwayActivityDeps } from './pathway.activities';

export type ActivityDeps = PathwayActivityDeps;

/** Every activity the worker registers, built from its dependencies. */
export function createActivities(deps: ActivityDeps) {
  return { ...createPathwayActivities(deps) };
}

export type Activities = ReturnType<typeof createActivities>;

// Side effects of the pathway workflow: writing the read model that queues, dashboards and reports are served
// from. Every write is keyed by ids the workflow derived, and guarded by the workflow's version counter, so a
// retried or reordered activity never duplicates or rolls back a row.
import type { PathwayProjection } from '../libs/domain/src';
import type { ProjectionRepository } from '../libs/persistence/src/projection.repository';

export interface PathwayActivityDeps {
  projections: ProjectionRepository;
}

export function createPathwayActivities({ projections }: PathwayActivityDeps) {
  return {
    async projectPathway(input: PathwayProjection): Promise<void> {
      try {
        await projections.apply(input);
      } catch (err) {
        // Temporal logs a failed attempt and keeps its failure in history. Driver errors carry the statement's
        // parameters and PostgreSQL's "Failing row contains (…)", i.e. the person: only the kind and the code go on.
        throw new Error(`read-model write failed: ${describeFailure(err)}`);
      }
    },
  };
}

export type PathwayActivities = ReturnType<typeof createPathwayActivities>;

/** An error's name and, for a database error, its SQLSTATE code and constraint: never its message or values. */
export function describeFailure(err: unknown): string {
  if (!(err instanceof Error)) return typeof err;
  const driver = (err as { driverError?: unknown }).driverError ?? err;
  const { code, constraint } = driver as { code?: unknown; constraint?: unknown };
  const parts = [err.name];
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) parts.push(`SQLSTATE ${code}`);
  if (typeof constraint === 'string' && /^[a-z0-9_]{1,63}$/.test(constraint)) parts.push(`constraint ${constraint}`);
  return parts.join(', ');
}

// The one activity of the bare-Temporal baseline (scripts/bench/bare-workflow.ts): one idempotent INSERT.
import type { Pool } from 'pg';

export interface BareActivities {
  writeRow(id: string): Promise<void>;
}

export function bareActivities(pool: Pool): BareActivities {
  return {
    async writeRow(id: string): Promise<void> {
      await pool.query('INSERT INTO bench_bare (id, at) VALUES ($1, now()) ON CONFLICT (id) DO NOTHING', [id]);
    },
  };
}

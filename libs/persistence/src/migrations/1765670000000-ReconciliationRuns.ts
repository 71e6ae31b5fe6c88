import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reconciliation (issue 14, item 5): one row per run that compared the open pathways' workflows with the read model —
 * how many it checked, how many had drifted, how many it repaired, how many running workflows had no read-model row.
 * Counts only, never a person; the last run is the drift metric (exit_reconciliation_drift).
 */
export class ReconciliationRuns1765670000000 implements MigrationInterface {
  name = 'ReconciliationRuns1765670000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE reconciliation_runs (
        id bigserial PRIMARY KEY,
        trigger text NOT NULL CHECK (trigger IN ('SCHEDULE', 'ADMIN')),
        started_at timestamptz NOT NULL,
        finished_at timestamptz NOT NULL DEFAULT now(),
        checked integer NOT NULL,
        drifted integer NOT NULL,
        repaired integer NOT NULL,
        missing integer NOT NULL,
        unreachable integer NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE reconciliation_runs`);
  }
}

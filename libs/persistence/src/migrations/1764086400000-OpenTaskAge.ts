import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The oldest open task per agency for the exit_oldest_open_task_age_seconds gauge (libs/observability/src/metrics.ts),
 * read on every Prometheus scrape: an index-only scan instead of a visit to every open task's row.
 */
export class OpenTaskAge1764086400000 implements MigrationInterface {
  name = 'OpenTaskAge1764086400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX tasks_open_age_idx ON tasks (agency_code, created_at) WHERE status IN ('OPEN', 'CLAIMED')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX tasks_open_age_idx`);
  }
}

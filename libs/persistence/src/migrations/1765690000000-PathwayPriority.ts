import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 12: a pathway's priority (NORMAL or HIGH), decided by the operative group's meeting, on the pathway and on each
 * of its tasks (`tasks.prioritized`, written by the projection), and the queue's urgency number with it: within one
 * urgency step (escalation level, overdue) a prioritized pathway's task comes first, ahead of earlier deadlines
 * (docs/PLAYBOOK.md, "Prioritised pathways"). queue_rank is a stored generated column, so it is dropped and added again
 * with its index (PostgreSQL 15 cannot change a generation expression): the table is rewritten once. Its values go
 * from 0–5 to 0–11; the queue's cursors carry the rank, so a cursor handed out before the migration is refused as
 * unknown (400) and the client starts the page again. A meeting's decision keeps the priority (CHANGE_PRIORITY) or the
 * closing outcome (CLOSE) it decided, for the minutes.
 */
export class PathwayPriority1765690000000 implements MigrationInterface {
  name = 'PathwayPriority1765690000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE pathways ADD COLUMN priority text NOT NULL DEFAULT 'NORMAL'
         CONSTRAINT pathways_priority_check CHECK (priority IN ('NORMAL', 'HIGH'))`,
    );
    // The pathways list's "Prioriteret" filter: few pathways are, so a partial index in the list's order.
    await q.query(`CREATE INDEX pathways_priority_idx ON pathways (opened_at DESC, id DESC) WHERE priority = 'HIGH'`);
    await q.query(`ALTER TABLE tasks ADD COLUMN prioritized boolean NOT NULL DEFAULT false`);
    await q.query(`DROP INDEX tasks_queue_idx`);
    await q.query(`ALTER TABLE tasks DROP COLUMN queue_rank`);
    await q.query(`
      ALTER TABLE tasks ADD COLUMN queue_rank smallint
        GENERATED ALWAYS AS (((2 - escalation_level) * 2 + CASE WHEN overdue THEN 0 ELSE 1 END) * 2
                             + CASE WHEN prioritized THEN 0 ELSE 1 END) STORED`);
    await q.query(`
      CREATE INDEX tasks_queue_idx ON tasks (agency_code, queue_rank, due_at, id)
        WHERE status IN ('OPEN', 'CLAIMED')`);
    await q.query(`ALTER TABLE meeting_decisions ADD COLUMN priority text, ADD COLUMN outcome text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE meeting_decisions DROP COLUMN priority, DROP COLUMN outcome`);
    await q.query(`DROP INDEX tasks_queue_idx`);
    await q.query(`ALTER TABLE tasks DROP COLUMN queue_rank`);
    await q.query(`
      ALTER TABLE tasks ADD COLUMN queue_rank smallint
        GENERATED ALWAYS AS ((2 - escalation_level) * 2 + CASE WHEN overdue THEN 0 ELSE 1 END) STORED`);
    await q.query(`
      CREATE INDEX tasks_queue_idx ON tasks (agency_code, queue_rank, due_at, id)
        WHERE status IN ('OPEN', 'CLAIMED')`);
    await q.query(`ALTER TABLE tasks DROP COLUMN prioritized`);
    await q.query(`DROP INDEX pathways_priority_idx`);
    await q.query(`ALTER TABLE pathways DROP COLUMN priority`);
  }
}

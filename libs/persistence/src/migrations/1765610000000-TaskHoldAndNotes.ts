import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 10, item 8. A task on hold (its agency's decision, the workflow's state `task.hold`): when it returns by
 * itself, the coded reason, the agency's note and since when; the queue leaves held tasks out of the active tabs and
 * shows them under "På hold". Ended tasks get an index for the "Afsluttet" tab (newest first per agency).
 *
 * `task_notes`: an agency's working notes on its task. They live here and not in the workflow's history: no rule
 * reads them, they are personal data written freely (so they must be erasable, which an immutable history is not),
 * and only the writing agency reads them. A note is kept with the agency that wrote it: after a reassignment the new
 * agency does not read the old one's notes.
 *
 * A task's own history (GET /tasks/:id/history) reads the timeline by task: an index on timeline_entries.task_id.
 */
export class TaskHoldAndNotes1765610000000 implements MigrationInterface {
  name = 'TaskHoldAndNotes1765610000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE tasks
        ADD COLUMN held_until timestamptz,
        ADD COLUMN hold_reason text,
        ADD COLUMN hold_note text,
        ADD COLUMN held_since timestamptz`);
    await q.query(`
      CREATE INDEX tasks_held_idx ON tasks (agency_code, held_until, id)
        WHERE held_until IS NOT NULL AND status IN ('OPEN', 'CLAIMED')`);
    await q.query(`
      CREATE INDEX tasks_ended_idx ON tasks (agency_code, completed_at DESC, id DESC)
        WHERE status IN ('DONE', 'CANCELLED')`);
    await q.query(`
      CREATE TABLE task_notes (
        id uuid PRIMARY KEY,
        task_id uuid NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
        pathway_id uuid NOT NULL REFERENCES pathways (id) ON DELETE CASCADE,
        agency_code text NOT NULL,
        author_user_id text NOT NULL,
        body text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX timeline_entries_task_idx ON timeline_entries (task_id, sequence) WHERE task_id IS NOT NULL`,
    );
    await q.query(`CREATE INDEX task_notes_task_idx ON task_notes (task_id, agency_code, created_at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE task_notes`);
    await q.query(`DROP INDEX timeline_entries_task_idx`);
    await q.query(`DROP INDEX tasks_ended_idx`);
    await q.query(`DROP INDEX tasks_held_idx`);
    await q.query(`ALTER TABLE tasks DROP COLUMN held_until, DROP COLUMN hold_reason, DROP COLUMN hold_note,
      DROP COLUMN held_since`);
  }
}

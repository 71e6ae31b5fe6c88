import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The oversight dashboard and the yearly report (apps/api/src/oversight, apps/api/src/reports): indexes that let each
 * aggregate read an index instead of the tables, the time a task was first claimed (queue time vs work time), and the
 * steering group's activity goals and the figures only it can know.
 */
export class Oversight1764662400000 implements MigrationInterface {
  name = 'Oversight1764662400000';

  async up(q: QueryRunner): Promise<void> {
    // When a task was first claimed, kept by the database from the TASK_CLAIMED timeline entries the projection
    // writes (libs/persistence/src/projection.repository.ts writes a batch's tasks before its timeline, so the row
    // exists). A column instead of a lookup per task: the SLA figures read hundreds of thousands of tasks.
    await q.query(`ALTER TABLE tasks ADD COLUMN first_claimed_at timestamptz`);
    await q.query(`
      CREATE FUNCTION tasks_first_claimed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE tasks SET first_claimed_at = NEW.at
         WHERE id = NEW.task_id AND (first_claimed_at IS NULL OR first_claimed_at > NEW.at);
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER timeline_task_claimed AFTER INSERT ON timeline_entries
        FOR EACH ROW WHEN (NEW.kind = 'TASK_CLAIMED' AND NEW.task_id IS NOT NULL)
        EXECUTE FUNCTION tasks_first_claimed()`);
    await q.query(`
      UPDATE tasks t SET first_claimed_at = c.at
        FROM (SELECT task_id, min(at) AS at FROM timeline_entries WHERE kind = 'TASK_CLAIMED' GROUP BY task_id) c
       WHERE c.task_id = t.id`);
    // SLA per month: done tasks by completion time, with everything the figures need (index-only scan).
    await q.query(`
      CREATE INDEX tasks_done_idx ON tasks (completed_at)
        INCLUDE (agency_code, type, due_at, created_at, first_claimed_at, pathway_id) WHERE status = 'DONE'`);
    // Open work per agency: deadlines, claimed or not, assignees.
    await q.query(`
      CREATE INDEX tasks_open_work_idx ON tasks (agency_code, due_at)
        INCLUDE (status, assignee, created_at) WHERE status IN ('OPEN', 'CLAIMED')`);
    // Open pathways per stage and how long they have been there.
    await q.query(`CREATE INDEX pathways_open_stage_idx ON pathways (stage, stage_entered_at) WHERE stage <> 'CLOSED'`);
    // Stalled pathways: stage and time since progress.
    await q.query(`DROP INDEX pathways_stalled_idx`);
    await q.query(`CREATE INDEX pathways_stalled_idx ON pathways (last_progress_at) INCLUDE (stage) WHERE stalled`);
    // Pathways started and closed per quarter.
    await q.query(`CREATE INDEX pathways_opened_idx ON pathways (opened_at)`);
    await q.query(
      `CREATE INDEX pathways_closed_idx ON pathways (closed_at) INCLUDE (closing_outcome) WHERE closed_at IS NOT NULL`,
    );
    // SLA figures per month, agency and task type (agency and type '' in the month's total row), computed from tasks
    // by OversightRepository.sla: a month that ended more than a day ago cannot change (a done task keeps its
    // completion time), so it is computed once; the running month is recomputed when its figures are 5 minutes old.
    await q.query(`
      CREATE TABLE sla_month_figures (
        month text NOT NULL,
        agency_code text NOT NULL,
        type text NOT NULL,
        done integer NOT NULL,
        people integer NOT NULL,
        on_time integer NOT NULL,
        late_s double precision,
        claimed integer NOT NULL,
        queue_s double precision,
        work_s double precision,
        computed_at timestamptz NOT NULL,
        PRIMARY KEY (month, agency_code, type)
      )`);
    // What the steering group wants done in a year, measured as done tasks of a type (distinct people).
    await q.query(`
      CREATE TABLE activity_goals (
        year integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
        task_type text NOT NULL,
        label text NOT NULL,
        target integer NOT NULL CHECK (target >= 0),
        set_by text NOT NULL,
        set_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (year, task_type)
      )`);
    // Figures the system cannot count (crime statistics, Tryghedsundersøgelsen), entered with where they come from.
    await q.query(`
      CREATE TABLE external_figures (
        year integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
        code text NOT NULL,
        label text NOT NULL,
        value numeric NOT NULL,
        unit text,
        source text NOT NULL,
        entered_by text NOT NULL,
        entered_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (year, code)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE external_figures`);
    await q.query(`DROP TABLE activity_goals`);
    await q.query(`DROP TABLE sla_month_figures`);
    await q.query(`DROP INDEX pathways_closed_idx`);
    await q.query(`DROP INDEX pathways_opened_idx`);
    await q.query(`DROP INDEX pathways_stalled_idx`);
    await q.query(`CREATE INDEX pathways_stalled_idx ON pathways (last_progress_at) WHERE stalled`);
    await q.query(`DROP INDEX pathways_open_stage_idx`);
    await q.query(`DROP INDEX tasks_open_work_idx`);
    await q.query(`DROP INDEX tasks_done_idx`);
    await q.query(`DROP TRIGGER timeline_task_claimed ON timeline_entries`);
    await q.query(`DROP FUNCTION tasks_first_claimed()`);
    await q.query(`ALTER TABLE tasks DROP COLUMN first_claimed_at`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Agency queues ordered by urgency, the escalation ladder, stalled pathways, the notification outbox with
 * per-agency webhooks, and the audit log of reads of personal data.
 */
export class TaskQueues1764079200000 implements MigrationInterface {
  name = 'TaskQueues1764079200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE tasks
        ADD COLUMN overdue boolean NOT NULL DEFAULT false,
        ADD COLUMN escalation_level integer NOT NULL DEFAULT 0,
        ADD COLUMN handover_to text,
        ADD COLUMN handover_state text,
        ADD COLUMN acknowledges uuid,
        ADD COLUMN reserved_until timestamptz,
        ADD COLUMN reserved_by text`);
    await q.query(`DROP INDEX tasks_open_queue_idx`);
    // Urgency as one ascending number (0 = level 2 and overdue … 5 = not escalated), so the queue's order
    // (urgency, deadline, id) is one ascending key: one index serves it and keyset pagination compares rows.
    await q.query(`
      ALTER TABLE tasks ADD COLUMN queue_rank smallint
        GENERATED ALWAYS AS ((2 - escalation_level) * 2 + CASE WHEN overdue THEN 0 ELSE 1 END) STORED`);
    await q.query(`
      CREATE INDEX tasks_queue_idx ON tasks (agency_code, queue_rank, due_at, id)
        WHERE status IN ('OPEN', 'CLAIMED')`);
    await q.query(`ALTER TABLE pathways ADD COLUMN stalled boolean NOT NULL DEFAULT false`);
    await q.query(`CREATE INDEX pathways_stalled_idx ON pathways (last_progress_at) WHERE stalled`);
    await q.query(`
      CREATE TABLE escalations (
        id text PRIMARY KEY,
        pathway_id uuid NOT NULL REFERENCES pathways (id) ON DELETE CASCADE,
        task_id uuid REFERENCES tasks (id) ON DELETE CASCADE,
        kind text NOT NULL,
        level integer NOT NULL,
        agency_code text NOT NULL,
        escalated_to text NOT NULL,
        status text NOT NULL CHECK (status IN ('OPEN', 'RESOLVED')),
        raised_at timestamptz NOT NULL,
        resolved_at timestamptz,
        decision text,
        note text,
        version bigint NOT NULL
      )`);
    await q.query(`CREATE INDEX escalations_open_idx ON escalations (level DESC, raised_at, id) WHERE status = 'OPEN'`);
    await q.query(`CREATE INDEX escalations_pathway_idx ON escalations (pathway_id)`);
    await q.query(`ALTER TABLE agencies ADD COLUMN webhook_url text, ADD COLUMN webhook_secret text`);
    await q.query(`
      CREATE TABLE notifications (
        id text PRIMARY KEY,
        agency_code text NOT NULL REFERENCES agencies (code),
        kind text NOT NULL,
        pathway_id uuid NOT NULL,
        task_id uuid,
        escalation_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'DELIVERED', 'DEAD', 'SKIPPED')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error text,
        delivered_at timestamptz
      )`);
    await q.query(`CREATE INDEX notifications_due_idx ON notifications (next_attempt_at, id) WHERE status = 'PENDING'`);
    await q.query(`CREATE INDEX notifications_dead_idx ON notifications (created_at DESC, id) WHERE status = 'DEAD'`);
    await q.query(`
      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        actor_agency text NOT NULL,
        action text NOT NULL,
        pathway_id uuid,
        task_id uuid,
        legal_basis text NOT NULL
      )`);
    await q.query(`CREATE INDEX audit_log_pathway_idx ON audit_log (pathway_id, at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_log`);
    await q.query(`DROP TABLE notifications`);
    await q.query(`ALTER TABLE agencies DROP COLUMN webhook_url, DROP COLUMN webhook_secret`);
    await q.query(`DROP TABLE escalations`);
    await q.query(`DROP INDEX pathways_stalled_idx`);
    await q.query(`ALTER TABLE pathways DROP COLUMN stalled`);
    await q.query(`DROP INDEX tasks_queue_idx`);
    await q.query(
      `CREATE INDEX tasks_open_queue_idx ON tasks (agency_code, due_at, id) WHERE status IN ('OPEN', 'CLAIMED')`,
    );
    await q.query(`
      ALTER TABLE tasks
        DROP COLUMN queue_rank, DROP COLUMN overdue, DROP COLUMN escalation_level, DROP COLUMN handover_to, DROP COLUMN handover_state,
        DROP COLUMN acknowledges, DROP COLUMN reserved_until, DROP COLUMN reserved_by`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The operative group's meetings (apps/api/src/meetings): a meeting per date, its agenda as it was generated (open
 * escalations, then stalled pathways without one), and one decision per agenda item. The agenda is a snapshot: the
 * minutes say what the meeting looked at, even after the escalations are resolved.
 */
export class Meetings1765300000000 implements MigrationInterface {
  name = 'Meetings1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE meetings (
        id uuid PRIMARY KEY,
        held_on date NOT NULL UNIQUE,
        status text NOT NULL CHECK (status IN ('OPEN', 'APPROVED')),
        present text[] NOT NULL DEFAULT '{}',
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        approved_by text,
        approved_at timestamptz
      )`);
    // No foreign key to pathways or escalations: the minutes keep what was on the agenda whatever happens later.
    await q.query(`
      CREATE TABLE meeting_items (
        id uuid PRIMARY KEY,
        meeting_id uuid NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
        position integer NOT NULL,
        kind text NOT NULL CHECK (kind IN ('ESCALATION', 'STALLED_PATHWAY')),
        pathway_id uuid NOT NULL,
        escalation_id text,
        escalation_kind text,
        level integer,
        agency_code text,
        task_title text,
        stage text,
        since timestamptz NOT NULL,
        UNIQUE (meeting_id, position)
      )`);
    await q.query(`
      CREATE TABLE meeting_decisions (
        item_id uuid PRIMARY KEY REFERENCES meeting_items (id) ON DELETE CASCADE,
        decision text NOT NULL,
        note text NOT NULL,
        due_at timestamptz,
        to_agency text,
        decided_by text NOT NULL,
        decided_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE meeting_decisions`);
    await q.query(`DROP TABLE meeting_items`);
    await q.query(`DROP TABLE meetings`);
  }
}

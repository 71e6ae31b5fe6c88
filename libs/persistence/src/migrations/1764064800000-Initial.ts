import type { MigrationInterface, QueryRunner } from 'typeorm';
import { AGENCY_SEED } from '../../../domain/src/agencies';

export class Initial1764064800000 implements MigrationInterface {
  name = 'Initial1764064800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE agencies (
        code text PRIMARY KEY,
        name text NOT NULL,
        description text NOT NULL,
        active boolean NOT NULL DEFAULT true
      )`);
    await q.query(`
      CREATE TABLE playbooks (
        version integer PRIMARY KEY,
        name text NOT NULL,
        definition jsonb NOT NULL,
        published_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE pathways (
        id uuid PRIMARY KEY,
        workflow_id text NOT NULL UNIQUE,
        stage text NOT NULL,
        track text,
        district text NOT NULL,
        playbook_version integer NOT NULL REFERENCES playbooks (version),
        opened_at timestamptz NOT NULL,
        last_progress_at timestamptz NOT NULL,
        version bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX pathways_stage_idx ON pathways (stage, opened_at, id)`);
    await q.query(`
      CREATE TABLE persons (
        pathway_id uuid PRIMARY KEY REFERENCES pathways (id) ON DELETE CASCADE,
        name text NOT NULL,
        birth_date date NOT NULL,
        lives_with_parents boolean,
        contact_source_agency text NOT NULL REFERENCES agencies (code),
        contact_occurred_at timestamptz NOT NULL,
        contact_context text NOT NULL
      )`);
    await q.query(`
      CREATE TABLE tasks (
        id uuid PRIMARY KEY,
        pathway_id uuid NOT NULL REFERENCES pathways (id) ON DELETE CASCADE,
        task_key text NOT NULL,
        stage text NOT NULL,
        agency_code text NOT NULL REFERENCES agencies (code),
        type text NOT NULL,
        title text NOT NULL,
        status text NOT NULL CHECK (status IN ('OPEN', 'CLAIMED', 'DONE', 'CANCELLED')),
        created_at timestamptz NOT NULL,
        due_at timestamptz NOT NULL,
        assignee text,
        outcome text,
        completed_at timestamptz,
        completed_by text,
        version bigint NOT NULL
      )`);
    // The agency queue: open work, earliest due first, keyset-paginated on (due_at, id).
    await q.query(
      `CREATE INDEX tasks_open_queue_idx ON tasks (agency_code, due_at, id) WHERE status IN ('OPEN', 'CLAIMED')`,
    );
    await q.query(`CREATE INDEX tasks_pathway_idx ON tasks (pathway_id, created_at)`);
    await q.query(`
      CREATE TABLE timeline_entries (
        id text PRIMARY KEY,
        pathway_id uuid NOT NULL REFERENCES pathways (id) ON DELETE CASCADE,
        sequence integer NOT NULL,
        at timestamptz NOT NULL,
        kind text NOT NULL,
        agency_code text,
        task_id uuid,
        detail jsonb NOT NULL DEFAULT '{}'::jsonb,
        UNIQUE (pathway_id, sequence)
      )`);
    for (const agency of AGENCY_SEED) {
      await q.query(`INSERT INTO agencies (code, name, description) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
        agency.code,
        agency.name,
        agency.description,
      ]);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE timeline_entries`);
    await q.query(`DROP TABLE tasks`);
    await q.query(`DROP TABLE persons`);
    await q.query(`DROP TABLE pathways`);
    await q.query(`DROP TABLE playbooks`);
    await q.query(`DROP TABLE agencies`);
  }
}

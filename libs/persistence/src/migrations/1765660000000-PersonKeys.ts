import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-person data keys (envelope encryption) and erasure.
 *
 * - `person_keys`: one random AES-256 key per person (a person is their pathway: `pathway_id`), stored only wrapped
 *   by a master key (`master_key_id` names which, so master keys can rotate). Erasing the person sets `wrapped` to
 *   NULL and `destroyed_at`: the row stays as a tombstone, with ids and times only, so the codec knows the pathway's
 *   payloads may no longer be written and every copy made with the key (Temporal histories, backups) stays unreadable.
 * - `persons.sealed`: the person's fields (name, birth date, lives with parents, contact context) as one ciphertext
 *   under that key; the plaintext columns are left NULL for rows written from now on (rows written before keep
 *   theirs until the person is erased).
 * - `erasure_requests`: four eyes for `POST /persons/:id/erasure` (one coordinator asks, another confirms), and the
 *   retention review (REVIEW until `review_until`, then erased unless a coordinator KEPT it, with a reason, until
 *   `keep_until`).
 * - `pathways.erased_at`: what stays of an erased person is the pathway row's statistics (stage, district, dates,
 *   outcome), which the yearly report counts; the API no longer shows it.
 */
export class PersonKeys1765660000000 implements MigrationInterface {
  name = 'PersonKeys1765660000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE person_keys (
        id uuid PRIMARY KEY,
        pathway_id uuid NOT NULL UNIQUE,
        master_key_id text NOT NULL,
        wrapped bytea,
        created_at timestamptz NOT NULL DEFAULT now(),
        destroyed_at timestamptz,
        CHECK ((wrapped IS NULL) = (destroyed_at IS NOT NULL))
      )`);
    await q.query(`
      ALTER TABLE persons
        ADD COLUMN sealed bytea,
        ADD COLUMN key_id uuid,
        ALTER COLUMN name DROP NOT NULL,
        ALTER COLUMN birth_date DROP NOT NULL,
        ALTER COLUMN contact_context DROP NOT NULL`);
    await q.query(`ALTER TABLE pathways ADD COLUMN erased_at timestamptz`);
    await q.query(`
      CREATE TABLE erasure_requests (
        pathway_id uuid PRIMARY KEY,
        status text NOT NULL CHECK (status IN ('REVIEW', 'REQUESTED', 'ERASED', 'KEPT')),
        reason_code text NOT NULL,
        requested_by text NOT NULL,
        requested_at timestamptz NOT NULL DEFAULT now(),
        decided_by text,
        decided_at timestamptz,
        keep_reason text,
        keep_until timestamptz,
        review_until timestamptz
      )`);
    await q.query(
      `CREATE INDEX erasure_requests_review_idx ON erasure_requests (review_until) WHERE status = 'REVIEW'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE erasure_requests`);
    await q.query(`ALTER TABLE pathways DROP COLUMN erased_at`);
    await q.query(`ALTER TABLE persons DROP COLUMN sealed, DROP COLUMN key_id`);
    await q.query(`DROP TABLE person_keys`);
  }
}

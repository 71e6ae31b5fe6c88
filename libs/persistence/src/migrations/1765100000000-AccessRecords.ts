import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 9's access records:
 * - `users`: the people who have signed in, as their tokens named them (there is no user directory), so that a team
 *   lead can list its agency's people and assign them work, and an assignee (a user id) can be shown by name within
 *   its agency. Written by the API when a person is seen (apps/api/src/auth/known-users.ts).
 * - `audit_log.detail` and `item_count`: a list read (an agency's queue, the escalation board) is audited with what
 *   was listed (agency and filter) and how many rows it showed, never a name.
 * - `notifications.dedup_key`: notification ids are random now; the outbox's uniqueness moves to the key derived from
 *   the pathway, the timeline entry and the agency (the old id, which existing rows keep as their key).
 */
export class AccessRecords1765100000000 implements MigrationInterface {
  name = 'AccessRecords1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        user_id text PRIMARY KEY,
        display_name text NOT NULL,
        agency_code text NOT NULL,
        roles text[] NOT NULL,
        first_seen_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX users_agency_idx ON users (agency_code, display_name, user_id)`);
    await q.query(`ALTER TABLE audit_log ADD COLUMN detail jsonb, ADD COLUMN item_count integer`);
    await q.query(`ALTER TABLE notifications ADD COLUMN dedup_key text`);
    await q.query(`UPDATE notifications SET dedup_key = id`);
    await q.query(`ALTER TABLE notifications ALTER COLUMN dedup_key SET NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX notifications_dedup_key_idx ON notifications (dedup_key)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX notifications_dedup_key_idx`);
    await q.query(`ALTER TABLE notifications DROP COLUMN dedup_key`);
    await q.query(`ALTER TABLE audit_log DROP COLUMN detail, DROP COLUMN item_count`);
    await q.query(`DROP TABLE users`);
  }
}

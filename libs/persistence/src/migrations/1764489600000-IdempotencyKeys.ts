import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency-Keys map to random pathway ids in a table: a pathway id derived from the key could be computed by
 * anyone who knows or guesses a client's key. The key is stored as its SHA-256 only, since a client may put
 * anything in it.
 */
export class IdempotencyKeys1764489600000 implements MigrationInterface {
  name = 'IdempotencyKeys1764489600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE idempotency_keys (
        key_hash bytea PRIMARY KEY,
        pathway_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE idempotency_keys`);
  }
}

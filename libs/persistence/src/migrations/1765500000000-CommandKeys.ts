import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency-Keys of commands on a running pathway (events, task commands, decisions): the key (scoped to its
 * pathway) and the request it came with, both as SHA-256 digests, and the first answer, which every repeat gets
 * again. The answer may name the person, so rows are kept for a day only (IdempotencyRepository purges them).
 */
export class CommandKeys1765500000000 implements MigrationInterface {
  name = 'CommandKeys1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE command_keys (
        key_hash bytea PRIMARY KEY,
        pathway_id uuid NOT NULL,
        request_hash bytea NOT NULL,
        answer jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX command_keys_created_idx ON command_keys (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE command_keys`);
  }
}

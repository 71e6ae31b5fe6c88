import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The first answer to a command's Idempotency-Key (a pathway view, which names the person) is kept encrypted from now
 * on: `{ "sealed": base64 }`, sealed by the API with the Temporal payload codec (apps/api/src/core/workflow-commands.ts).
 * Answers kept in clear before are dropped: a repeat of such a key sends its Update again under the same Update id,
 * which Temporal applies once, and answers from the read model.
 */
export class CommandAnswersSealed1765650000000 implements MigrationInterface {
  name = 'CommandAnswersSealed1765650000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE command_keys SET answer = NULL WHERE answer IS NOT NULL AND NOT (answer ? 'sealed')`);
  }

  async down(): Promise<void> {
    // Nothing to undo: the dropped answers are not kept anywhere.
  }
}

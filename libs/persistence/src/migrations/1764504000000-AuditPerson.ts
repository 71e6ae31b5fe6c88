import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every request is a signed-in person now: the audit trail names the person (the identity provider's stable user id,
 * never a name) besides the agency. Rows written before sign-in have none.
 */
export class AuditPerson1764504000000 implements MigrationInterface {
  name = 'AuditPerson1764504000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_log ADD COLUMN actor_user_id text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_log DROP COLUMN actor_user_id`);
  }
}

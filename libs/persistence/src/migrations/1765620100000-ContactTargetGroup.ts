import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The first contact's target group as a category (TARGET_GROUPS in libs/domain/src/pathway/vocabulary.ts), beside the
 * contact's words; null for pathways opened before it was asked and when the reporter leaves it open.
 */
export class ContactTargetGroup1765620100000 implements MigrationInterface {
  name = 'ContactTargetGroup1765620100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE persons ADD COLUMN contact_target_group text
         CHECK (contact_target_group IN ('AT_RISK', 'FRINGE', 'MEMBER'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE persons DROP COLUMN contact_target_group`);
  }
}

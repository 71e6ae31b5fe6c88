import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Task outcomes (issue 10, item 8): the agency's own note on how a task ended, which attempt at reaching the person
 * a task is on, and the outcomes a task allows when fewer than all. `outcome` keeps its column: it now holds one of
 * DONE, DECLINED, NOT_REACHED, NOT_RELEVANT (free text in tasks completed before).
 */
export class TaskOutcomes1765200000000 implements MigrationInterface {
  name = 'TaskOutcomes1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE tasks ADD COLUMN outcome_note text, ADD COLUMN attempt smallint, ADD COLUMN outcomes text[]`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tasks DROP COLUMN outcome_note, DROP COLUMN attempt, DROP COLUMN outcomes`);
  }
}

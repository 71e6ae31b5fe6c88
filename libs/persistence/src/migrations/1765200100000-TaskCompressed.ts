import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A deadline the release date left too little time for is the earliest feasible one and flagged `compressed` by the
 * machine (playbook v2's `atLeast`); the queue and the task show it, so an agency sees why the time is short.
 */
export class TaskCompressed1765200100000 implements MigrationInterface {
  name = 'TaskCompressed1765200100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tasks ADD COLUMN compressed boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tasks DROP COLUMN compressed`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cancel reasons as codes (issue 9): a task's agency sees why its task was cancelled as a neutral code
 * (CANCEL_CODES in libs/domain/src/pathway/vocabulary.ts), never the words, which could say that the person is
 * followed by investigation alone (`pathway closed: REFERRED_TO_INVESTIGATION`). Rows cancelled before get the code
 * their engine-written reason stands for; an operative group's own note is NOT_NEEDED. Titles that said as much
 * (playbook v1's information task for the investigation unit, playbook v2's Jobcenter work naming the exit
 * programme) become the neutral titles the playbooks now give.
 */
export class TaskCancelCode1765000000000 implements MigrationInterface {
  name = 'TaskCancelCode1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tasks ADD COLUMN cancel_code text`);
    await q.query(
      `UPDATE tasks SET cancel_code = CASE
         WHEN cancel_reason LIKE 'pathway closed:%' THEN 'PATHWAY_CLOSED'
         WHEN cancel_reason = 'reassessed: the pathway is on another track' THEN 'TRACK_CHANGED'
         WHEN cancel_reason = 'consent withdrawn' THEN 'WITHDRAWN_CONSENT'
         ELSE 'NOT_NEEDED' END
       WHERE status = 'CANCELLED'`,
    );
    await q.query(`UPDATE tasks SET title = 'Til orientering' WHERE task_key = 'oc-information'`);
    await q.query(
      `UPDATE tasks SET title = 'Forsørgelse og jobplan'
        WHERE task_key IN ('jobcenter-exit-plan', 'national-exit-plan') AND agency_code = 'JOBCENTER'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tasks DROP COLUMN cancel_code`);
  }
}

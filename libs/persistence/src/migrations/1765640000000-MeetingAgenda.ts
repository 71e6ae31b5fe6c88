import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The whole agenda of the operative group's meeting (issue 12): besides open escalations and stalled pathways, new
 * pathways awaiting the joint assessment, releases within 8 weeks, people turning 18 within 6 months, and items a member
 * adds by hand (a subject and why, with or without a pathway); an index for the history of resolved escalations. `on_date` is the day that puts an item on the agenda
 * (the expected release, the 18th birthday); `since` is kept for the kinds that have one. A recommendation to Sikker By
 * is a decision (`RECOMMEND`) like the others, so it needs no table of its own.
 */
export class MeetingAgenda1765640000000 implements MigrationInterface {
  name = 'MeetingAgenda1765640000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE meeting_items DROP CONSTRAINT meeting_items_kind_check`);
    await q.query(`
      ALTER TABLE meeting_items
        ADD CONSTRAINT meeting_items_kind_check CHECK (kind IN ('ESCALATION', 'AWAITING_ASSESSMENT', 'STALLED_PATHWAY',
                                                               'RELEASE_SOON', 'TURNING_18', 'MANUAL')),
        ALTER COLUMN pathway_id DROP NOT NULL,
        ALTER COLUMN since DROP NOT NULL,
        ADD COLUMN on_date date,
        ADD COLUMN title text,
        ADD COLUMN why text,
        ADD COLUMN added_by text`);
    // A member's item added twice (a retried request) is one item.
    await q.query(`
      CREATE UNIQUE INDEX meeting_items_manual_once ON meeting_items
        (meeting_id, md5(title || E'\\n' || why || E'\\n' || coalesce(pathway_id::text, ''))) WHERE kind = 'MANUAL'`);
    // The history of resolved escalations (GET /escalations/resolved), the latest resolved first.
    await q.query(
      `CREATE INDEX escalations_resolved_idx ON escalations (resolved_at DESC, id DESC) WHERE status = 'RESOLVED'`,
    );
    // The recommendations to Sikker By, newest meeting first.
    await q.query(
      `CREATE INDEX meeting_decisions_recommend_idx ON meeting_decisions (decision) WHERE decision = 'RECOMMEND'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX meeting_decisions_recommend_idx`);
    await q.query(`DROP INDEX escalations_resolved_idx`);
    await q.query(`DROP INDEX meeting_items_manual_once`);
    await q.query(`DELETE FROM meeting_items WHERE kind NOT IN ('ESCALATION', 'STALLED_PATHWAY')`);
    await q.query(`ALTER TABLE meeting_items DROP CONSTRAINT meeting_items_kind_check`);
    await q.query(`
      ALTER TABLE meeting_items
        ADD CONSTRAINT meeting_items_kind_check CHECK (kind IN ('ESCALATION', 'STALLED_PATHWAY')),
        ALTER COLUMN pathway_id SET NOT NULL,
        ALTER COLUMN since SET NOT NULL,
        DROP COLUMN on_date, DROP COLUMN title, DROP COLUMN why, DROP COLUMN added_by`);
  }
}

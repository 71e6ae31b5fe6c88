import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The whole pathway: consent, release date, closing, cancelled tasks; the pathway list's indexes. */
export class PathwayStages1764072000000 implements MigrationInterface {
  name = 'PathwayStages1764072000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE pathways
        ADD COLUMN consent boolean NOT NULL DEFAULT false,
        ADD COLUMN motivated boolean,
        ADD COLUMN expected_release_at timestamptz,
        ADD COLUMN stage_entered_at timestamptz,
        ADD COLUMN closed_at timestamptz,
        ADD COLUMN closing_outcome text`);
    await q.query(`UPDATE pathways SET stage_entered_at = opened_at WHERE stage_entered_at IS NULL`);
    await q.query(`ALTER TABLE pathways ALTER COLUMN stage_entered_at SET NOT NULL`);
    await q.query(`ALTER TABLE tasks ADD COLUMN cancel_reason text`);
    // The pathway list is ordered newest first and filtered by stage, track or district.
    await q.query(`DROP INDEX pathways_stage_idx`);
    await q.query(`CREATE INDEX pathways_list_idx ON pathways (opened_at DESC, id DESC)`);
    await q.query(`CREATE INDEX pathways_stage_list_idx ON pathways (stage, opened_at DESC, id DESC)`);
    await q.query(`CREATE INDEX pathways_track_list_idx ON pathways (track, opened_at DESC, id DESC)`);
    await q.query(`CREATE INDEX pathways_district_list_idx ON pathways (district, opened_at DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX pathways_district_list_idx`);
    await q.query(`DROP INDEX pathways_track_list_idx`);
    await q.query(`DROP INDEX pathways_stage_list_idx`);
    await q.query(`DROP INDEX pathways_list_idx`);
    await q.query(`CREATE INDEX pathways_stage_idx ON pathways (stage, opened_at, id)`);
    await q.query(`ALTER TABLE tasks DROP COLUMN cancel_reason`);
    await q.query(`
      ALTER TABLE pathways
        DROP COLUMN consent, DROP COLUMN motivated, DROP COLUMN expected_release_at,
        DROP COLUMN stage_entered_at, DROP COLUMN closed_at, DROP COLUMN closing_outcome`);
  }
}

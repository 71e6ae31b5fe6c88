import type { MigrationInterface, QueryRunner } from 'typeorm';
import { AGENCY_SEED_V2 } from '../../../domain/src/agencies';

/**
 * Playbook v2's age-appropriate routing needs two receiving agencies: SSP+ (18-25), which takes SSP's work at 18,
 * and Borgercenter Børn og Unge, which receives an underretning about a minor. Agencies are rows, so they are
 * seeded here; a database that already has them keeps its own names.
 */
export class AgeRoutingAgencies1764547200000 implements MigrationInterface {
  name = 'AgeRoutingAgencies1764547200000';

  async up(q: QueryRunner): Promise<void> {
    for (const agency of AGENCY_SEED_V2) {
      await q.query(`INSERT INTO agencies (code, name, description) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
        agency.code,
        agency.name,
        agency.description,
      ]);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM agencies WHERE code = ANY($1)`, [AGENCY_SEED_V2.map((a) => a.code)]);
  }
}

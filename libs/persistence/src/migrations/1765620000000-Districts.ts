import type { MigrationInterface, QueryRunner } from 'typeorm';
import { DISTRICT_SEED } from '../../../domain/src/districts';

/**
 * Districts and focus areas as data the steering group changes (PUT /districts/:code): seeded with the five districts
 * that were a fixed list until now, so every pathway's district is a row. A district taken out of use stays a row
 * (`active` false): the pathways filed under it keep it.
 */
export class Districts1765620000000 implements MigrationInterface {
  name = 'Districts1765620000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE districts (
        code text PRIMARY KEY CHECK (code ~ '^[A-Z][A-Z0-9_]{1,39}$'),
        name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 120),
        focus boolean NOT NULL,
        active boolean NOT NULL DEFAULT true,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by text
      )`);
    for (const d of DISTRICT_SEED) {
      await q.query(`INSERT INTO districts (code, name, focus) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
        d.code,
        d.name,
        d.focus,
      ]);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE districts`);
  }
}

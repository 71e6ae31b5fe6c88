import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Finding people without searching their names: `person_search_tokens` holds, per person (a pathway's person row),
 * the keyed hashes (HMAC-SHA256 with PERSON_SEARCH_KEY) of each normalised name word, the full name and the birth
 * date (libs/domain/src/people.ts, libs/persistence/src/person-search.ts). `key_id` says which key made a row, so a
 * new key is picked up by the start-up backfill. The backfill is not here: a migration has no key. The worker fills
 * the index for every person without tokens under the current key when it starts (PersonSearchRepository.backfill).
 *
 * `persons.version` is the pathway version that last wrote the row: a correction of the name or birth date
 * overwrites only an older row.
 */
export class PersonSearch1765600000000 implements MigrationInterface {
  name = 'PersonSearch1765600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE person_search_tokens (
        token text NOT NULL,
        pathway_id uuid NOT NULL REFERENCES pathways (id) ON DELETE CASCADE,
        key_id text NOT NULL,
        PRIMARY KEY (token, pathway_id)
      )`);
    await q.query(`CREATE INDEX person_search_tokens_pathway ON person_search_tokens (pathway_id)`);
    await q.query(`ALTER TABLE persons ADD COLUMN version integer NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE persons DROP COLUMN version`);
    await q.query(`DROP TABLE person_search_tokens`);
  }
}

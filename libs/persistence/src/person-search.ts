// The blind index of people: keyed hashes of the search terms of libs/domain/src/people.ts, so a person is found by
// name and birth date without any query over the names themselves, which are sealed under each person's key
// (persons.sealed): the tokens are computed from the plaintext before sealing, and hits are opened with that key. A
// term's hash is HMAC-SHA256(PERSON_SEARCH_KEY, kind + ':' + normalised value); the key never leaves the API and the
// worker, and a database dump alone cannot be searched (though whoever holds the key can test a guessed name).
import { createHmac } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { birthDateSlips, nameWords, normaliseName, personSearchTerms, type SearchTerm } from '../../domain/src';
import type { PersonKeys } from './person-keys';
import type { SealedPerson } from './projection.repository';

/**
 * The key only a development machine or a test may fall back to (NODE_ENV not production): it is in this repository,
 * so an index made with it protects nothing.
 */
const DEVELOPMENT_SEARCH_KEY = Buffer.from('exit-pathways-development-search-key-not-secret', 'utf8');

/** PERSON_SEARCH_KEY: base64 of at least 32 bytes; required in production, the development key elsewhere. */
export function personSearchKeyFromEnv(env: NodeJS.ProcessEnv): Buffer {
  const text = env.PERSON_SEARCH_KEY;
  if (!text) {
    if (env.NODE_ENV === 'production') throw new Error('PERSON_SEARCH_KEY is required in production');
    return DEVELOPMENT_SEARCH_KEY;
  }
  const key = Buffer.from(text, 'base64');
  // The value is not repeated: a key pasted into the wrong variable must not reach a log.
  if (key.length < 32) throw new Error('PERSON_SEARCH_KEY must be base64 of at least 32 bytes');
  return key;
}

export class PersonSearchIndex {
  /** Names the key without giving it away: rows made with another key are remade at start. */
  readonly keyId: string;

  constructor(private readonly key: Buffer = DEVELOPMENT_SEARCH_KEY) {
    this.keyId = createHmac('sha256', key).update('exit-pathways:person-search-key-id').digest('hex').slice(0, 16);
  }

  token(term: SearchTerm): string {
    return createHmac('sha256', this.key).update(`${term.kind}:${term.value}`).digest('hex');
  }

  tokensOf(person: { name: string; birthDate: string }): string[] {
    return [...new Set(personSearchTerms(person).map((t) => this.token(t)))];
  }
}

export interface PersonHit {
  pathwayId: string;
  name: string;
  birthDate: string;
  stage: string;
  openedAt: Date;
  closedAt: Date | null;
}

// An erased person's pathway (erased_at) is statistics only: never a hit. Their person row is gone anyway.
const HITS = `SELECT s.pathway_id, s.name, to_char(s.birth_date, 'YYYY-MM-DD') AS birth_date, s.sealed,
                     s.key_id::text AS key_id, p.stage, p.opened_at, p.closed_at
                FROM persons s JOIN pathways p ON p.id = s.pathway_id
               WHERE s.pathway_id = ANY($1::uuid[]) AND p.erased_at IS NULL
               ORDER BY p.opened_at, s.pathway_id`;

/** A person row's name and birth date: sealed under the person's key, or (rows from before the keys) plaintext. */
interface PersonColumns {
  name: string | null;
  birth_date: string | null;
  sealed: Buffer | null;
  key_id: string | null;
}

interface HitRow extends PersonColumns {
  pathway_id: string;
  stage: string;
  opened_at: Date;
  closed_at: Date | null;
}

/**
 * The name and birth date of a person row, opened with the person's key (person-keys.ts) as ReadRepository opens
 * it; undefined when the key is destroyed or not at hand (an erased person cannot be found or indexed).
 */
async function openPerson(
  row: PersonColumns,
  personKeys: PersonKeys | undefined,
): Promise<{ name: string; birthDate: string } | undefined> {
  if (row.sealed) {
    if (!row.key_id || !personKeys) return undefined;
    const fields = await personKeys.open<SealedPerson>(row.key_id, row.sealed);
    return fields ? { name: fields.name, birthDate: fields.birthDate } : undefined;
  }
  return row.name !== null && row.birth_date !== null ? { name: row.name, birthDate: row.birth_date } : undefined;
}

export class PersonSearchRepository {
  /** `personKeys` opens the sealed persons (hits, backfill); without it only rows from before the keys are read. */
  constructor(
    private readonly dataSource: DataSource,
    private readonly index: PersonSearchIndex,
    private readonly personKeys?: PersonKeys,
  ) {}

  /**
   * The pathways whose person has every word of `name` (when given) and the birth date (when given); at most
   * `limit` + 1, so the caller can say there were more.
   */
  async search(query: { name?: string; birthDate?: string }, limit: number): Promise<PersonHit[]> {
    const tokens = [
      ...(query.name ? nameWords(query.name).map((value) => this.index.token({ kind: 'word', value })) : []),
      ...(query.birthDate ? [this.index.token({ kind: 'birth', value: query.birthDate })] : []),
    ];
    if (tokens.length === 0) return [];
    const ids: { pathway_id: string }[] = await this.dataSource.query(
      `SELECT pathway_id FROM person_search_tokens WHERE token = ANY($1) AND key_id = $2
        GROUP BY pathway_id HAVING count(DISTINCT token) = $3 LIMIT $4`,
      [tokens, this.index.keyId, new Set(tokens).size, limit + 1],
    );
    return this.hits(ids.map((r) => r.pathway_id));
  }

  /**
   * The pathways whose person looks like this one (libs/domain/src/people.ts, docs/PLAYBOOK.md "People"): the same
   * birth date and a name word in common, or the same full name and a birth date a typing slip away. `except` is
   * left out (the pathway a repeated request started).
   */
  async lookalikes(person: { name: string; birthDate: string }, except?: string): Promise<PersonHit[]> {
    const words = nameWords(person.name).map((value) => this.index.token({ kind: 'word', value }));
    const full = normaliseName(person.name);
    const birth = this.index.token({ kind: 'birth', value: person.birthDate });
    const slips = birthDateSlips(person.birthDate).map((value) => this.index.token({ kind: 'birth', value }));
    const ids: { pathway_id: string }[] = await this.dataSource.query(
      `(SELECT pathway_id FROM person_search_tokens WHERE token = $1 AND key_id = $5
        INTERSECT
        SELECT pathway_id FROM person_search_tokens WHERE token = ANY($2) AND key_id = $5)
       UNION
       (SELECT pathway_id FROM person_search_tokens WHERE token = $3 AND key_id = $5
        INTERSECT
        SELECT pathway_id FROM person_search_tokens WHERE token = ANY($4) AND key_id = $5)`,
      [birth, words, full ? this.index.token({ kind: 'name', value: full }) : '', slips, this.index.keyId],
    );
    return this.hits(ids.map((r) => r.pathway_id).filter((id) => id !== except));
  }

  private async hits(ids: string[]): Promise<PersonHit[]> {
    if (ids.length === 0) return [];
    const rows: HitRow[] = await this.dataSource.query(HITS, [ids]);
    const hits: PersonHit[] = [];
    for (const r of rows) {
      const person = await openPerson(r, this.personKeys);
      if (!person) continue;
      hits.push({
        pathwayId: r.pathway_id,
        name: person.name,
        birthDate: person.birthDate,
        stage: r.stage,
        openedAt: r.opened_at,
        closedAt: r.closed_at,
      });
    }
    return hits;
  }

  /**
   * Indexes every person who has no tokens under the current key (persons from before the index, or indexed with an
   * earlier key), then drops the tokens of earlier keys. Runs at the worker's start; safe to run twice at once.
   */
  async backfill(batch = 500): Promise<number> {
    let done = 0;
    // In pathway id order past the last batch: a person that cannot be opened (a destroyed key) is passed over, not
    // met again.
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows: (PersonColumns & { pathway_id: string })[] = await this.dataSource.query(
        `SELECT s.pathway_id, s.name, to_char(s.birth_date, 'YYYY-MM-DD') AS birth_date, s.sealed,
                s.key_id::text AS key_id
           FROM persons s
          WHERE s.pathway_id > $3
            AND NOT EXISTS (SELECT 1 FROM person_search_tokens t WHERE t.pathway_id = s.pathway_id AND t.key_id = $1)
          ORDER BY s.pathway_id LIMIT $2`,
        [this.index.keyId, batch, after],
      );
      if (rows.length === 0) break;
      after = rows[rows.length - 1].pathway_id;
      const people: { pathwayId: string; person: { name: string; birthDate: string } }[] = [];
      for (const r of rows) {
        const person = await openPerson(r, this.personKeys);
        if (person) people.push({ pathwayId: r.pathway_id, person });
      }
      await this.dataSource.transaction(async (m) => {
        for (const { pathwayId, person } of people) {
          // Under the lock the projection and erasure take: not for a person erased since the read above (erasure
          // deletes the row and its tokens), nor over the tokens of a correction written since.
          await m.query(`SELECT 1 FROM pathways WHERE id = $1 FOR UPDATE`, [pathwayId]);
          const still: unknown[] = await m.query(
            `SELECT 1 FROM persons s WHERE s.pathway_id = $1 AND NOT EXISTS
               (SELECT 1 FROM person_search_tokens t WHERE t.pathway_id = s.pathway_id AND t.key_id = $2)`,
            [pathwayId, this.index.keyId],
          );
          if (still.length > 0) await writePersonTokens(m, this.index, pathwayId, person);
        }
      });
      done += people.length;
    }
    await this.dataSource.query(`DELETE FROM person_search_tokens WHERE key_id <> $1`, [this.index.keyId]);
    return done;
  }
}

/** Replaces a person's tokens with those of `person` (inside the caller's transaction). */
export async function writePersonTokens(
  m: EntityManager,
  index: PersonSearchIndex,
  pathwayId: string,
  person: { name: string; birthDate: string },
): Promise<void> {
  await m.query(`DELETE FROM person_search_tokens WHERE pathway_id = $1 AND key_id = $2`, [pathwayId, index.keyId]);
  await m.query(
    `INSERT INTO person_search_tokens (token, pathway_id, key_id)
     SELECT unnest($1::text[]), $2, $3 ON CONFLICT DO NOTHING`,
    [index.tokensOf(person), pathwayId, index.keyId],
  );
}

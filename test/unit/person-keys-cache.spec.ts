// PersonKeys (libs/persistence/src/person-keys.ts) keeps a key in memory only as long as it trusts it: a process that
// touches thousands of pathways does not keep every person's key for good. The database is a stand-in that answers
// the two statements the keyring sends here.
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { PERSON_KEY_CACHE_MS, PersonKeys } from '../../libs/persistence/src';

function keyring(): { keys: PersonKeys; statements: () => number } {
  const rows = new Map<string, { id: string; pathway_id: string; master_key_id: string; wrapped: Buffer | null }>();
  let statements = 0;
  const dataSource = {
    query: async (sql: string, params: unknown[]) => {
      statements++;
      if (/INSERT INTO person_keys/.test(sql)) {
        const [id, pathwayId, masterKeyId, wrapped] = params as [string, string, string, Buffer];
        if (!rows.has(pathwayId))
          rows.set(pathwayId, { id, pathway_id: pathwayId, master_key_id: masterKeyId, wrapped });
        return [rows.get(pathwayId)];
      }
      const row = rows.get(params[0] as string);
      return row ? [row] : [];
    },
  } as unknown as DataSource;
  const master = { activeKeyId: 'm1', keys: new Map([['m1', randomBytes(32)]]) };
  return { keys: new PersonKeys(dataSource, master), statements: () => statements };
}

describe('PersonKeys cache', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('reuses a key within the cache time, and drops every key older than that once another is read', async () => {
    const { keys, statements } = keyring();
    const first = await Promise.all(['p1', 'p2', 'p3'].map((p) => keys.ensure(p)));
    expect(keys.cachedKeys).toBe(3);
    const sent = statements();
    expect(await keys.ensure('p1')).toBe(first[0]);
    expect(statements()).toBe(sent);

    jest.advanceTimersByTime(PERSON_KEY_CACHE_MS + 1);
    await keys.ensure('p4');
    expect(keys.cachedKeys).toBe(1);
    // Read again, the same key as before (the database keeps it), cached anew.
    expect((await keys.ensure('p2')).key.equals(first[1].key)).toBe(true);
    expect(keys.cachedKeys).toBe(2);
  });

  it('stays bounded by what was read in the last cache time, however many pathways pass through', async () => {
    const { keys } = keyring();
    for (let i = 0; i < 600; i++) {
      await keys.ensure(`p${i}`);
      jest.advanceTimersByTime(PERSON_KEY_CACHE_MS / 100);
    }
    expect(keys.cachedKeys).toBeLessThanOrEqual(101);
    expect(keys.cachedKeys).toBeGreaterThanOrEqual(99);
  });
});

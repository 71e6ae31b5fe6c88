// Which pathway a client's Idempotency-Key made: the first request under a key fixes a random id, every repeat
// finds it. Keys are kept as SHA-256 digests (see migrations/1764489600000-IdempotencyKeys.ts).
import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';

export class IdempotencyRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The pathway id for `key`: `candidate` when the key is new, the id it was first given otherwise. Safe under
   * concurrent requests with one key: the insert waits for the other's, and the read after it sees the winner.
   * `legacyId` is the id the key stood for before keys were stored; a pathway with it keeps it.
   */
  async pathwayIdFor(key: string, candidate: string, legacyId?: string): Promise<string> {
    const digest = createHash('sha256').update(key, 'utf8').digest();
    const existing = await this.find(digest);
    if (existing) return existing;
    let id = candidate;
    if (legacyId) {
      const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM pathways WHERE id = $1`, [legacyId]);
      if (rows.length > 0) id = legacyId;
    }
    await this.dataSource.query(
      `INSERT INTO idempotency_keys (key_hash, pathway_id) VALUES ($1, $2) ON CONFLICT (key_hash) DO NOTHING`,
      [digest, id],
    );
    return (await this.find(digest))!;
  }

  private async find(digest: Buffer): Promise<string | undefined> {
    const rows: { pathway_id: string }[] = await this.dataSource.query(
      `SELECT pathway_id FROM idempotency_keys WHERE key_hash = $1`,
      [digest],
    );
    return rows[0]?.pathway_id;
  }
}

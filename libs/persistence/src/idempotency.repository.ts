// Which pathway a client's Idempotency-Key made: the first request under a key fixes a random id, every repeat
// finds it. Keys are kept as SHA-256 digests (see migrations/1764489600000-IdempotencyKeys.ts). Commands on a running
// pathway keep their key, the request's digest and the first answer (migrations/1765500000000-CommandKeys.ts), sealed
// once, under the pathway's person key: destroyed on erasure, so a kept answer goes with the person.
import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { PersonKeys } from './person-keys';

/** A stored answer sealed under the pathway's person key (it may name the person). */
interface SealedAnswer {
  sealed: string;
  keyId: string;
}

function isSealed(answer: unknown): answer is SealedAnswer {
  return typeof answer === 'object' && answer !== null && 'sealed' in answer && 'keyId' in answer;
}

/** What a command's key found: the first request under it (`first`), or the earlier request's digest and answer. */
export type CommandKeyClaim = { first: true } | { first: false; requestHash: Buffer; answer: unknown | null };

/** How long a command's answer is kept for repeats: it may name the person. */
export const COMMAND_KEY_TTL_HOURS = 24;

export class IdempotencyRepository {
  private lastPurge = 0;

  /** With a keyring, stored answers are sealed under the person's key (without: a test reading ids only). */
  constructor(
    private readonly dataSource: DataSource,
    private readonly personKeys?: PersonKeys,
  ) {}

  /**
   * The answer as the client got it, opened; null when its key is gone (the person was erased) and, with a keyring,
   * for an answer kept in clear (written by hand: never served).
   */
  private async opened<T>(answer: T | SealedAnswer | null): Promise<T | null> {
    if (!isSealed(answer)) return this.personKeys ? null : answer;
    if (!this.personKeys) return null;
    return (await this.personKeys.open<T>(answer.keyId, Buffer.from(answer.sealed, 'base64'))) ?? null;
  }

  /**
   * Takes `keyHash` for a command, or finds who took it. Safe under concurrent requests with one key: one insert
   * wins, every other request reads the winner's row.
   */
  async claimCommand(keyHash: Buffer, pathwayId: string, requestHash: Buffer): Promise<CommandKeyClaim> {
    await this.purgeExpiredCommands();
    const inserted: unknown[] = await this.dataSource.query(
      `INSERT INTO command_keys (key_hash, pathway_id, request_hash) VALUES ($1, $2, $3)
       ON CONFLICT (key_hash) DO NOTHING RETURNING 1`,
      [keyHash, pathwayId, requestHash],
    );
    if (inserted.length > 0) return { first: true };
    const rows: { request_hash: Buffer; answer: unknown | null }[] = await this.dataSource.query(
      `SELECT request_hash, answer FROM command_keys WHERE key_hash = $1`,
      [keyHash],
    );
    // Released between the insert and the read (the first request was refused): this one is first now.
    if (!rows[0]) return this.claimCommand(keyHash, pathwayId, requestHash);
    return { first: false, requestHash: rows[0].request_hash, answer: await this.opened(rows[0].answer) };
  }

  /**
   * Keeps the first answer under the key and returns the one kept (another request's, when it was quicker). The key's
   * row names `pathwayId` (the key hash is derived from it, claimCommand): the answer is sealed under its person key.
   */
  async answerCommand<T>(keyHash: Buffer, pathwayId: string, answer: T): Promise<T> {
    const stored = await this.sealed(pathwayId, answer);
    // TypeORM answers an UPDATE with [rows, count].
    const [set]: [{ answer: T }[], number] = await this.dataSource.query(
      `UPDATE command_keys SET answer = $2 WHERE key_hash = $1 AND answer IS NULL RETURNING answer`,
      [keyHash, JSON.stringify(stored)],
    );
    // As stored (a JSON round trip), the same for the first answer as for every repeat.
    if (set[0]) return JSON.parse(JSON.stringify(answer)) as T;
    // A new statement, so a new snapshot: the quicker request's answer is committed by now (the update waited for it).
    const kept: { answer: T | SealedAnswer | null }[] = await this.dataSource.query(
      `SELECT answer FROM command_keys WHERE key_hash = $1`,
      [keyHash],
    );
    return (await this.opened(kept[0]?.answer ?? null)) ?? answer;
  }

  /** The answer to store: sealed under the pathway's person key. */
  private async sealed<T>(pathwayId: string, answer: T): Promise<T | SealedAnswer> {
    if (!this.personKeys) return answer;
    const key = await this.personKeys.ensure(pathwayId.toLowerCase());
    return { sealed: this.personKeys.seal(key, answer).toString('base64'), keyId: key.keyId };
  }

  /** Frees a key whose command was refused before it reached the workflow: the client may use it again. */
  async releaseCommand(keyHash: Buffer): Promise<void> {
    await this.dataSource.query(`DELETE FROM command_keys WHERE key_hash = $1 AND answer IS NULL`, [keyHash]);
  }

  /** At most once a minute per process: answers older than the TTL go. */
  private async purgeExpiredCommands(): Promise<void> {
    if (Date.now() - this.lastPurge < 60_000) return;
    this.lastPurge = Date.now();
    await this.dataSource.query(`DELETE FROM command_keys WHERE created_at < now() - make_interval(hours => $1)`, [
      COMMAND_KEY_TTL_HOURS,
    ]);
  }

  /**
   * The pathway id for `key`: `candidate` when the key is new, the id it was first given otherwise. Safe under
   * concurrent requests with one key: the insert waits for the other's, and the read after it sees the winner.
   * `legacyId` is the id the key stood for before keys were stored; a pathway with it keeps it.
   */
  async pathwayIdFor(key: string, candidate: string, legacyId?: string): Promise<string> {
    const digest = createHash('sha256').update(key, 'utf8').digest();
    // One round trip: the key taken for the legacy id (when a pathway has it) or the candidate, or else the id it
    // was given before (a row committed before this statement began; the insert's own row is not visible to it).
    const rows: { pathway_id: string }[] = await this.dataSource.query(
      `WITH taken AS (
         INSERT INTO idempotency_keys (key_hash, pathway_id)
         SELECT $1, coalesce((SELECT id FROM pathways WHERE id = $3::uuid), $2::uuid)
         ON CONFLICT (key_hash) DO NOTHING RETURNING pathway_id)
       SELECT pathway_id FROM taken
       UNION ALL
       SELECT pathway_id FROM idempotency_keys WHERE key_hash = $1`,
      [digest, candidate, legacyId ?? null],
    );
    if (rows[0]) return rows[0].pathway_id;
    // Another request's insert of the key was in flight when this statement began: it has committed by now (the
    // insert waited for it), and a new statement sees it.
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

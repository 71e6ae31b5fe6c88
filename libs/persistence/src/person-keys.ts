// Per-person data keys (envelope encryption; migration 1765660000000-PersonKeys). A person is their pathway, so a
// key belongs to a pathway id. The key is random, 32 bytes, and stored only wrapped (AES-256-GCM) by a master key
// from PAYLOAD_KEYS, whose id is kept beside it so master keys can rotate. The Temporal codec encrypts a pathway's
// payloads with it (libs/temporal/src/codec.ts) and the read model seals the person's fields with it (`seal`).
// Destroying it (erasure) makes every copy made with it unreadable: Temporal histories, database rows, backups.
// The same master-key sealing (`sealWithMaster`/`openWithMaster`) keeps the agencies' webhook secrets
// (webhook.repository.ts).
import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';

export interface MasterKeys {
  activeKeyId: string;
  keys: ReadonlyMap<string, Buffer>;
}

export interface PersonKey {
  /** The key's own random id (not the person's): it travels in every payload's metadata. */
  keyId: string;
  key: Buffer;
}

/** What is known of a key: usable, destroyed by an erasure, or never made. */
export type KeyState = PersonKey | 'DESTROYED' | undefined;

const IV_BYTES = 12;
const TAG_BYTES = 16;
/** How long a process trusts and keeps its cached copy of a key. */
export const PERSON_KEY_CACHE_MS = 60_000;
const CACHE_MS = PERSON_KEY_CACHE_MS;

function aesSeal(key: Buffer, plain: Buffer, aad: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

function aesOpen(key: Buffer, data: Buffer, aad: string): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
  return Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
}

/** A small secret sealed by the active master key, and that key's id (stored beside it, so master keys can rotate). */
export interface MasterSealed {
  masterKeyId: string;
  sealed: Buffer;
}

/** Seals `plain` with the active master key; `aad` binds the ciphertext to where it is stored. */
export function sealWithMaster(master: MasterKeys, plain: Buffer, aad: string): MasterSealed {
  const key = master.keys.get(master.activeKeyId);
  if (!key) throw new Error('the active master key is not configured');
  return { masterKeyId: master.activeKeyId, sealed: aesSeal(key, plain, aad) };
}

/**
 * What `sealWithMaster` sealed. Throws when the master key is not configured (naming its id only) or the ciphertext
 * or its binding was changed (saying nothing about the content).
 */
export function openWithMaster(master: MasterKeys, masterKeyId: string, sealed: Buffer, aad: string): Buffer {
  const key = master.keys.get(masterKeyId);
  if (!key) throw new Error(`sealed by master key '${masterKeyId}', which is not configured`);
  return aesOpen(key, sealed, aad);
}

interface KeyRow {
  id: string;
  pathway_id: string;
  master_key_id: string;
  wrapped: Buffer | null;
}

export class PersonKeys {
  private readonly byPathway = new Map<string, { state: PersonKey | 'DESTROYED'; at: number }>();
  private readonly byKeyId = new Map<string, { state: PersonKey | 'DESTROYED'; at: number }>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly master: MasterKeys,
  ) {
    if (!master.keys.has(master.activeKeyId)) throw new Error('the active master key is not configured');
  }

  /** The pathway's key, made now when it has none. Throws when the person was erased. */
  async ensure(pathwayId: string): Promise<PersonKey> {
    const cached = this.cached(this.byPathway.get(pathwayId));
    const known =
      cached ??
      // One round trip: a new key stored unless the pathway has one, and whichever the table holds then (a row
      // committed before this statement began; the insert's own row is not visible to it, so never both).
      (await this.made(pathwayId)) ??
      // Another process's insert was in flight when the statement began: it has committed by now (the insert waited
      // for it), and a new statement sees it.
      (await this.forPathway(pathwayId, true));
    if (known === 'DESTROYED' || !known)
      throw new Error('the person of this pathway was erased: their key is destroyed');
    return known;
  }

  private async made(pathwayId: string): Promise<KeyState> {
    const key = randomBytes(32);
    const id = randomUUID();
    const rows: KeyRow[] = await this.dataSource.query(
      `WITH made AS (
         INSERT INTO person_keys (id, pathway_id, master_key_id, wrapped) VALUES ($1, $2, $3, $4)
         ON CONFLICT (pathway_id) DO NOTHING RETURNING id, pathway_id, master_key_id, wrapped)
       SELECT id, pathway_id, master_key_id, wrapped FROM made
       UNION ALL
       SELECT id, pathway_id, master_key_id, wrapped FROM person_keys WHERE pathway_id = $2`,
      [id, pathwayId, this.master.activeKeyId, this.wrap(id, key)],
    );
    return rows[0] ? this.remember(rows[0]) : undefined;
  }

  /** A cached state this process may still trust: a destroyed key for as long as it is cached, a live one for CACHE_MS. */
  private cached(entry: { state: PersonKey | 'DESTROYED'; at: number } | undefined): KeyState {
    if (entry && (entry.state === 'DESTROYED' || Date.now() - entry.at < CACHE_MS)) return entry.state;
    return undefined;
  }

  async forPathway(pathwayId: string, fresh = false): Promise<KeyState> {
    const cached = fresh ? undefined : this.cached(this.byPathway.get(pathwayId));
    if (cached) return cached;
    const rows: KeyRow[] = await this.dataSource.query(
      `SELECT id, pathway_id, master_key_id, wrapped FROM person_keys WHERE pathway_id = $1`,
      [pathwayId],
    );
    return rows[0] ? this.remember(rows[0]) : undefined;
  }

  async byId(keyId: string): Promise<KeyState> {
    if (!/^[0-9a-f-]{36}$/.test(keyId)) return undefined;
    const cached = this.cached(this.byKeyId.get(keyId));
    if (cached) return cached;
    const rows: KeyRow[] = await this.dataSource.query(
      `SELECT id, pathway_id, master_key_id, wrapped FROM person_keys WHERE id = $1`,
      [keyId],
    );
    return rows[0] ? this.remember(rows[0]) : undefined;
  }

  /**
   * Destroys the pathway's key (idempotent): the wrapped copy is overwritten in the same statement that marks it.
   * Returns whether there was a live key. A pathway without a key gets a destroyed one, so nothing can make it
   * a new one afterwards.
   */
  async destroy(pathwayId: string, manager?: EntityManager): Promise<boolean> {
    const q = manager ?? this.dataSource;
    const rows: unknown[] = await q.query(
      `UPDATE person_keys SET wrapped = NULL, destroyed_at = now()
        WHERE pathway_id = $1 AND wrapped IS NOT NULL RETURNING id`,
      [pathwayId],
    );
    await q.query(
      `INSERT INTO person_keys (id, pathway_id, master_key_id, wrapped, destroyed_at)
       VALUES ($1, $2, $3, NULL, now()) ON CONFLICT (pathway_id) DO NOTHING`,
      [randomUUID(), pathwayId, this.master.activeKeyId],
    );
    this.forget(pathwayId);
    return (Array.isArray(rows[0]) ? (rows[0] as unknown[]) : rows).length > 0;
  }

  /**
   * Rewraps every live key still wrapped by another master key than the active one, so that old master key can be
   * dropped from PAYLOAD_KEYS afterwards. Idempotent; the daily retention run calls it. Returns how many it rewrapped.
   */
  async rewrap(): Promise<number> {
    const rows: KeyRow[] = await this.dataSource.query(
      `SELECT id, pathway_id, master_key_id, wrapped FROM person_keys
        WHERE wrapped IS NOT NULL AND master_key_id <> $1 ORDER BY id`,
      [this.master.activeKeyId],
    );
    let done = 0;
    for (const row of rows) {
      const state = this.remember(row);
      if (state === 'DESTROYED') continue;
      // Only a key still live and still under the old master key is replaced: an erasure in between wins.
      const changed: unknown[] = await this.dataSource.query(
        `UPDATE person_keys SET wrapped = $2, master_key_id = $3
          WHERE id = $1 AND wrapped IS NOT NULL AND master_key_id = $4 RETURNING id`,
        [row.id, this.wrap(row.id, state.key), this.master.activeKeyId, row.master_key_id],
      );
      if ((Array.isArray(changed[0]) ? (changed[0] as unknown[]) : changed).length > 0) done++;
    }
    return done;
  }

  /** Drops what this process cached about the pathway's key. */
  forget(pathwayId: string): void {
    const cached = this.byPathway.get(pathwayId);
    this.byPathway.delete(pathwayId);
    if (cached && cached.state !== 'DESTROYED') this.byKeyId.delete(cached.state.keyId);
  }

  /** The person's fields as one ciphertext under their key, bound to the key id. */
  seal(key: PersonKey, value: unknown): Buffer {
    return aesSeal(key.key, Buffer.from(JSON.stringify(value)), `person:${key.keyId}`);
  }

  /** What `seal` sealed; undefined when the key is destroyed or unknown (an erased person). */
  async open<T>(keyId: string, sealed: Buffer): Promise<T | undefined> {
    const key = await this.byId(keyId);
    if (!key || key === 'DESTROYED') return undefined;
    let plain: Buffer;
    try {
      plain = aesOpen(key.key, sealed, `person:${key.keyId}`);
    } catch {
      // Not sealed by this key (a damaged or swapped value): unreadable, as a destroyed key's values are. Readers show
      // no person rather than fail; reconciliation counts it as drift and seals the row again from the workflow.
      return undefined;
    }
    return JSON.parse(plain.toString('utf8')) as T;
  }

  private remember(row: KeyRow): PersonKey | 'DESTROYED' {
    let state: PersonKey | 'DESTROYED' = 'DESTROYED';
    if (row.wrapped) {
      // Names the master key id only: a missing master key must be configured, not guessed.
      if (!this.master.keys.has(row.master_key_id))
        throw new Error(`person key wrapped by master key '${row.master_key_id}', which is not configured`);
      state = {
        keyId: row.id,
        key: openWithMaster(this.master, row.master_key_id, row.wrapped, `person-key:${row.id}`),
      };
    }
    const entry = { state, at: Date.now() };
    // Re-inserted, so each map stays in the order of `at` and the sweep below stops at the first fresh entry.
    this.byPathway.delete(row.pathway_id);
    this.byKeyId.delete(row.id);
    this.byPathway.set(row.pathway_id, entry);
    this.byKeyId.set(row.id, entry);
    this.sweep();
    return state;
  }

  /** Keys this process holds in memory now. */
  get cachedKeys(): number {
    return this.byPathway.size;
  }

  /**
   * Drops what is older than CACHE_MS and so would be read again anyway: a process that touches every pathway in
   * time would otherwise keep every person's key in memory for good (a heap dump would hold them all) and grow
   * without bound.
   */
  private sweep(): void {
    const before = Date.now() - CACHE_MS;
    for (const map of [this.byPathway, this.byKeyId]) {
      for (const [id, entry] of map) {
        if (entry.at >= before) break;
        map.delete(id);
      }
    }
  }

  private wrap(id: string, key: Buffer): Buffer {
    return sealWithMaster(this.master, key, `person-key:${id}`).sealed;
  }
}

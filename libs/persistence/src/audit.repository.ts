// The audit trail of personal data: who (the person's user id, agency and roles), when, what, why (purpose), on which
// legal basis, in which request, and whether it was allowed. Lists that point at people (a queue's rows, the
// escalation board) are audited too: what was listed and how many. Rows are hash-chained (audit-chain.ts) and appended
// under a lock, so the chain is one line; the application's role may only add rows and read them
// (database.ts: provisionAppRole).
import type { DataSource, EntityManager } from 'typeorm';
import type { AuditPurpose, AuditResult, LegalBasis } from '../../domain/src';
import { CHAINED_COLUMNS, CHAIN_START, chainHash, type ChainedFields } from './audit-chain';
import { decodeCursor, encodeCursor } from './cursor';

export interface AuditEntry {
  /** The acting person's agency. */
  actor: string;
  /** The acting person's user id at the identity provider (never a name). */
  actorUserId?: string;
  actorRoles?: readonly string[];
  action: string;
  pathwayId?: string;
  taskId?: string;
  purpose: AuditPurpose;
  legalBasis: LegalBasis;
  requestId?: string;
  /** ALLOWED unless said otherwise. */
  result?: AuditResult;
  /** Why a refused attempt was refused (the policy's words, which never name a person). */
  reason?: string;
  /** For a list read: what was listed (an agency code, the filter), never a name. */
  detail?: Record<string, string | number | boolean>;
  /** For a list read: how many rows the answer showed. */
  itemCount?: number;
}

/** One row as GET /audit shows it. */
export interface AuditRow {
  id: string;
  at: string;
  actorAgency: string;
  actorUserId?: string;
  actorRoles?: string[];
  action: string;
  pathwayId?: string;
  taskId?: string;
  purpose?: string;
  legalBasis: string;
  legalBasisCode?: string;
  requestId?: string;
  result: AuditResult;
  reason?: string;
  detail?: Record<string, string | number | boolean>;
  itemCount?: number;
  hash: string;
}

export interface AuditFilter {
  pathwayId?: string;
  actorUserId?: string;
  actorAgency?: string;
  action?: string;
  result?: AuditResult;
  /** Rows at or after this instant. */
  from?: Date;
  /** Rows before this instant. */
  to?: Date;
}

export interface AuditVerification {
  /** True when every row's hash and link are as written. */
  intact: boolean;
  /** How many rows were checked (all of them when intact; up to the broken one otherwise). */
  checked: number;
  /** The first row whose hash does not match its fields, or whose link does not match the row before it. */
  firstBroken?: { id: string; at: string; problem: 'HASH' | 'LINK' };
}

type StoredRow = ChainedFields & { prevHash: string; hash: string };

// Any fixed number of this app's own: one writer of the chain at a time, across every process.
const CHAIN_LOCK = 7_311_043;
const CURSOR_TAG = 'audit';
const VERIFY_BATCH = 1000;

export function decodeAuditCursor(text: string): string | undefined {
  const key = decodeCursor(text, CURSOR_TAG, 1);
  return key && typeof key[0] === 'string' && /^\d{1,18}$/.test(key[0]) ? key[0] : undefined;
}

function viewOf(row: StoredRow): AuditRow {
  return {
    id: row.id,
    at: row.at.toISOString(),
    actorAgency: row.actorAgency,
    ...(row.actorUserId ? { actorUserId: row.actorUserId } : {}),
    ...(row.actorRoles ? { actorRoles: row.actorRoles.split(',') } : {}),
    action: row.action,
    ...(row.pathwayId ? { pathwayId: row.pathwayId } : {}),
    ...(row.taskId ? { taskId: row.taskId } : {}),
    ...(row.purpose ? { purpose: row.purpose } : {}),
    legalBasis: row.legalBasis,
    ...(row.legalBasisCode ? { legalBasisCode: row.legalBasisCode } : {}),
    ...(row.requestId ? { requestId: row.requestId } : {}),
    result: row.result as AuditResult,
    ...(row.reason ? { reason: row.reason } : {}),
    ...(row.detail ? { detail: row.detail } : {}),
    ...(row.itemCount !== null ? { itemCount: row.itemCount } : {}),
    hash: row.hash,
  };
}

/** A row the database refuses for its values (SQLSTATE class 22, data exception, or 23, integrity constraint). */
function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}

/** One caller's rows, waiting for the next append. */
interface Waiting {
  entries: readonly AuditEntry[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** At most this many callers' rows in one append (a queue page's 50 names is one caller). */
const MAX_CALLERS_A_COMMIT = 64;

export class AuditRepository {
  private readonly waiting: Waiting[] = [];
  private draining = false;
  /** Transactions that appended rows (the tests read it to see callers sharing one). */
  commits = 0;

  constructor(private readonly dataSource: DataSource) {}

  /** Appends one row to the chain, resolved once it is committed. */
  record(entry: AuditEntry): Promise<void> {
    return this.enqueue([entry]);
  }

  /** One read of personal data on several pathways (a queue page with names): a chained row for each, in one go. */
  recordEach(entry: Omit<AuditEntry, 'pathwayId' | 'taskId'>, pathwayIds: readonly string[]): Promise<void> {
    if (pathwayIds.length === 0) return Promise.resolve();
    return this.enqueue([...new Set(pathwayIds)].map((pathwayId) => ({ ...entry, pathwayId })));
  }

  /**
   * Group commit: the chain has one writer at a time (the advisory lock, across every process), so callers that
   * arrive while an append is under way wait for the next one and share its transaction: 20 queue pages at once are
   * one or two appends, not 20 in a line at the lock. A caller still hears only once its own rows are committed.
   */
  private enqueue(entries: readonly AuditEntry[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ entries, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting.splice(0, MAX_CALLERS_A_COMMIT);
        try {
          await this.commit(batch.flatMap((w) => w.entries));
          batch.forEach((w) => w.resolve());
        } catch (error) {
          if (batch.length === 1 || !isDataError(error)) {
            // The database away or the lock not had in time: every caller hears it at once (a 503 each).
            batch.forEach((w) => w.reject(error));
            continue;
          }
          // One caller's rows that the database refuses must not fail another's request: each alone, so only that
          // caller hears the error.
          for (const w of batch) {
            await this.commit(w.entries).then(w.resolve, w.reject);
          }
        }
      }
    } finally {
      this.draining = false;
    }
  }

  private async commit(entries: readonly AuditEntry[]): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1)', [CHAIN_LOCK]);
      await this.append(m, entries);
    });
    this.commits += 1;
  }

  /**
   * Writes the rows linked to the last one and to each other, in order; the caller holds the chain's lock. Two round
   * trips however many rows: the last hash with the rows' ids, then one INSERT (a queue page's 50 names used to be
   * 150 statements under the lock).
   */
  private async append(m: EntityManager, entries: readonly AuditEntry[]): Promise<void> {
    const [{ last, ids }]: { last: string | null; ids: string[] }[] = await m.query(
      `SELECT (SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1) AS last,
              ARRAY(SELECT nextval(pg_get_serial_sequence('audit_log', 'id'))::text
                      FROM generate_series(1, $1::int)) AS ids`,
      [entries.length],
    );
    // In the order the sequence gave them, which is the chain's order.
    const ordered = [...ids].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
    // To the millisecond, as it will be read back.
    const at = new Date();
    let previous = last ?? CHAIN_START;
    const values: unknown[] = [];
    const tuples: string[] = [];
    entries.forEach((entry, i) => {
      const row: ChainedFields = {
        id: ordered[i]!,
        at,
        actorAgency: entry.actor,
        actorUserId: entry.actorUserId ?? null,
        actorRoles: entry.actorRoles?.length ? entry.actorRoles.join(',') : null,
        action: entry.action,
        // As PostgreSQL returns a uuid.
        pathwayId: entry.pathwayId?.toLowerCase() ?? null,
        taskId: entry.taskId?.toLowerCase() ?? null,
        purpose: entry.purpose,
        legalBasis: entry.legalBasis.text,
        legalBasisCode: entry.legalBasis.code,
        requestId: entry.requestId ?? null,
        result: entry.result ?? 'ALLOWED',
        reason: entry.reason ?? null,
        detail: entry.detail ?? null,
        itemCount: entry.itemCount ?? null,
      };
      const hash = chainHash(previous, row);
      const params = [
        row.id,
        row.at,
        row.actorAgency,
        row.actorUserId,
        row.actorRoles,
        row.action,
        row.pathwayId,
        row.taskId,
        row.purpose,
        row.legalBasis,
        row.legalBasisCode,
        row.requestId,
        row.result,
        row.reason,
        row.detail === null ? null : JSON.stringify(row.detail),
        row.itemCount,
        previous,
        hash,
      ];
      tuples.push(`(${params.map((_, k) => `$${values.length + k + 1}`).join(', ')})`);
      values.push(...params);
      previous = hash;
    });
    await m.query(
      `INSERT INTO audit_log (id, at, actor_agency, actor_user_id, actor_roles, action, pathway_id, task_id, purpose,
         legal_basis, legal_basis_code, request_id, result, reason, detail, item_count, prev_hash, hash)
       VALUES ${tuples.join(',\n              ')}`,
      values,
    );
  }

  /** Newest first, `limit` at a time, after the cursor's row. */
  async list(
    filter: AuditFilter,
    limit: number,
    afterId?: string,
  ): Promise<{ items: AuditRow[]; nextCursor: string | null }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.pathwayId) add('pathway_id = ?', filter.pathwayId);
    if (filter.actorUserId) add('actor_user_id = ?', filter.actorUserId);
    if (filter.actorAgency) add('actor_agency = ?', filter.actorAgency);
    if (filter.action) add('action = ?', filter.action);
    if (filter.result) add('result = ?', filter.result);
    if (filter.from) add('at >= ?', filter.from);
    if (filter.to) add('at < ?', filter.to);
    if (afterId) add('id < ?::bigint', afterId);
    params.push(limit + 1);
    const rows: StoredRow[] = await this.dataSource.query(
      `SELECT ${CHAINED_COLUMNS} FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY audit_log.id DESC LIMIT $${params.length}`,
      params,
    );
    const items = rows.slice(0, limit).map(viewOf);
    const more = rows.length > limit;
    return { items, nextCursor: more ? encodeCursor(CURSOR_TAG, [items[items.length - 1].id]) : null };
  }

  /** Walks the whole chain in id order and stops at the first row that is not as it was written. */
  async verify(): Promise<AuditVerification> {
    let previous = CHAIN_START;
    let after = '0';
    let checked = 0;
    for (;;) {
      const rows: StoredRow[] = await this.dataSource.query(
        `SELECT ${CHAINED_COLUMNS} FROM audit_log WHERE id > $1::bigint ORDER BY audit_log.id LIMIT $2`,
        [after, VERIFY_BATCH],
      );
      for (const row of rows) {
        const problem = row.prevHash !== previous ? 'LINK' : chainHash(previous, row) !== row.hash ? 'HASH' : undefined;
        if (problem) return { intact: false, checked, firstBroken: { id: row.id, at: row.at.toISOString(), problem } };
        previous = row.hash;
        checked += 1;
      }
      if (rows.length < VERIFY_BATCH) return { intact: true, checked };
      after = rows[rows.length - 1].id;
    }
  }

  /** Every allowed look at and change of one person's pathway, oldest first: who, when, what and why. */
  async accessReport(pathwayId: string): Promise<AuditRow[]> {
    const rows: StoredRow[] = await this.dataSource.query(
      `SELECT ${CHAINED_COLUMNS} FROM audit_log WHERE pathway_id = $1 AND result = 'ALLOWED' ORDER BY audit_log.id`,
      [pathwayId],
    );
    return rows.map(viewOf);
  }

  /** Whether the trail has ever named this pathway (an access report for a pathway nobody saw is still an answer). */
  async mentions(pathwayId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM audit_log WHERE pathway_id = $1 LIMIT 1`, [
      pathwayId,
    ]);
    return rows.length > 0;
  }
}

// Erasure of a person (migration 1765660000000-PersonKeys): the four-eyes request, and the erasure itself in one
// transaction. What is left afterwards holds ids, codes and dates only:
// - the person's key is destroyed (person_keys keeps a tombstone), so their Temporal histories and every backup of a
//   sealed row are unreadable;
// - persons, timeline, escalations, Idempotency-Keys and command answers of the pathway are deleted;
// - the pathway row and its tasks stay as the statistics the yearly report and the dashboard count (stage, district,
//   dates, outcome, agency, task type and status), with every free text emptied (task titles become their type;
//   outcome notes, cancel reasons and meeting notes about the pathway are cleared); open tasks are cancelled;
// - the audit trail is not touched: it holds ids, codes and reasons, never a person's data, and is append-only;
// - every agency that had work on the pathway gets a PERSON_ERASED notice on its webhook (ids only).
import type { DataSource } from 'typeorm';
import type { PersonKeys } from './person-keys';

export type ErasureStatus = 'REVIEW' | 'REQUESTED' | 'ERASED' | 'KEPT';

export interface ErasureRequest {
  pathwayId: string;
  status: ErasureStatus;
  reasonCode: string;
  requestedBy: string;
  requestedAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
  keepReason: string | null;
  keepUntil: Date | null;
}

interface Row {
  pathway_id: string;
  status: ErasureStatus;
  reason_code: string;
  requested_by: string;
  requested_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
  keep_reason: string | null;
  keep_until: Date | null;
}

function fromRow(r: Row): ErasureRequest {
  return {
    pathwayId: r.pathway_id,
    status: r.status,
    reasonCode: r.reason_code,
    requestedBy: r.requested_by,
    requestedAt: r.requested_at,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at,
    keepReason: r.keep_reason,
    keepUntil: r.keep_until,
  };
}

/** The notice an agency's webhook receives when a person it worked with is erased: delete your copies. */
export const ERASURE_NOTICE_KIND = 'PERSON_ERASED';

export class ErasureRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly personKeys: PersonKeys,
  ) {}

  async find(pathwayId: string): Promise<ErasureRequest | undefined> {
    const rows: Row[] = await this.dataSource.query(`SELECT * FROM erasure_requests WHERE pathway_id = $1`, [
      pathwayId,
    ]);
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  /**
   * Records a request (or returns the standing one): a new request replaces a retention review or a KEPT
   * decision, never an erasure.
   */
  async request(pathwayId: string, reasonCode: string, requestedBy: string): Promise<ErasureRequest> {
    await this.dataSource.query(
      `INSERT INTO erasure_requests (pathway_id, status, reason_code, requested_by)
       VALUES ($1, 'REQUESTED', $2, $3)
       ON CONFLICT (pathway_id) DO UPDATE SET status = 'REQUESTED', reason_code = excluded.reason_code,
         requested_by = excluded.requested_by, requested_at = now(), decided_by = NULL, decided_at = NULL,
         keep_reason = NULL, keep_until = NULL, review_until = NULL
       WHERE erasure_requests.status IN ('KEPT', 'REVIEW')`,
      [pathwayId, reasonCode, requestedBy],
    );
    return (await this.find(pathwayId))!;
  }

  /** Keeps the person past their retention period, with a reason (a code and words that name no one). */
  async keep(pathwayId: string, decidedBy: string, reason: string, until: Date): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO erasure_requests (pathway_id, status, reason_code, requested_by, decided_by, decided_at,
                                     keep_reason, keep_until)
       VALUES ($1, 'KEPT', 'RETENTION', $2, $2, now(), $3, $4)
       ON CONFLICT (pathway_id) DO UPDATE SET status = 'KEPT', decided_by = $2, decided_at = now(),
         keep_reason = $3, keep_until = $4, review_until = NULL
       WHERE erasure_requests.status <> 'ERASED'`,
      [pathwayId, decidedBy, reason, until],
    );
  }

  /**
   * Erases the person of this pathway. Idempotent: a second run finds nothing left to delete and answers the
   * same. `decidedBy` is the second coordinator (or `retention` for the schedule).
   */
  async erase(pathwayId: string, reasonCode: string, decidedBy: string): Promise<ErasureRequest> {
    await this.dataSource.transaction(async (m) => {
      // One erasure at a time per pathway, and none beside a projection write of it.
      await m.query(`SELECT 1 FROM pathways WHERE id = $1 FOR UPDATE`, [pathwayId]);
      await this.personKeys.destroy(pathwayId, m);
      await m.query(`DELETE FROM persons WHERE pathway_id = $1`, [pathwayId]);
      await m.query(`DELETE FROM timeline_entries WHERE pathway_id = $1`, [pathwayId]);
      await m.query(`DELETE FROM escalations WHERE pathway_id = $1`, [pathwayId]);
      await m.query(`DELETE FROM command_keys WHERE pathway_id = $1`, [pathwayId]);
      await m.query(`DELETE FROM idempotency_keys WHERE pathway_id = $1`, [pathwayId]);
      await m.query(
        `UPDATE meeting_decisions SET note = '' WHERE item_id IN (SELECT id FROM meeting_items WHERE pathway_id = $1)`,
        [pathwayId],
      );
      await m.query(`UPDATE meeting_items SET task_title = NULL WHERE pathway_id = $1`, [pathwayId]);
      await m.query(
        `UPDATE tasks SET title = type, outcome_note = NULL, cancel_reason = NULL,
                status = CASE WHEN status IN ('OPEN', 'CLAIMED') THEN 'CANCELLED' ELSE status END,
                cancel_code = CASE WHEN status IN ('OPEN', 'CLAIMED') THEN 'PERSON_ERASED' ELSE cancel_code END,
                completed_at = CASE WHEN status IN ('OPEN', 'CLAIMED') THEN now() ELSE completed_at END
          WHERE pathway_id = $1`,
        [pathwayId],
      );
      await m.query(`UPDATE pathways SET erased_at = COALESCE(erased_at, now()) WHERE id = $1`, [pathwayId]);
      // Webhook receivers: one notice per agency that had work on the pathway, once (the dedup key is derived).
      await m.query(
        `INSERT INTO notifications (id, dedup_key, agency_code, kind, pathway_id)
         SELECT gen_random_uuid()::text, $3 || agency_code, agency_code, $2, pathway_id
           FROM (SELECT DISTINCT agency_code, pathway_id FROM tasks WHERE pathway_id = $1) agencies
         ON CONFLICT (dedup_key) DO NOTHING`,
        [pathwayId, ERASURE_NOTICE_KIND, `erasure-${pathwayId}-`],
      );
      await m.query(
        `INSERT INTO erasure_requests (pathway_id, status, reason_code, requested_by, decided_by, decided_at)
         VALUES ($1, 'ERASED', $2, $3, $3, now())
         ON CONFLICT (pathway_id) DO UPDATE SET status = 'ERASED', decided_by = $3, decided_at = now(),
           keep_reason = NULL, keep_until = NULL, review_until = NULL
         WHERE erasure_requests.status <> 'ERASED'`,
        [pathwayId, reasonCode, decidedBy],
      );
    });
    this.personKeys.forget(pathwayId);
    return (await this.find(pathwayId))!;
  }
}

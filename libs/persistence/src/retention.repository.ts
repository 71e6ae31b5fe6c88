// The retention review (issue 13, item 4), run daily by the retention workflow (workflows/retention/workflow.ts):
// closed pathways past their period (libs/domain/src/retention.ts) get a review row (erasure_requests, status
// REVIEW, until `review_until`), which the coordinators see at GET /retention/reviews; a coordinator may keep the
// person with a reason (KEPT until `keep_until`, then reviewed again); a review that ran out is erased.
import type { DataSource } from 'typeorm';
import { reviewDueAt, type RetentionPolicy } from '../../domain/src';
import type { ReadRepository } from './read.repository';

export interface RetentionReview {
  pathwayId: string;
  closedAt: Date;
  closingOutcome: string | null;
  reviewUntil: Date;
}

export class RetentionRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly read: ReadRepository,
  ) {}

  /**
   * Opens a review for every closed, unerased pathway past its period that has none (or whose keeping ran out).
   * Idempotent: a pathway under review or asked for erasure is left alone. Returns the pathways now under review.
   */
  async openReviews(policy: RetentionPolicy, now: Date): Promise<string[]> {
    const shortest = Math.min(policy.defaultDays, policy.childWithoutExitDays, ...Object.values(policy.byOutcome));
    const rows: { id: string; closing_outcome: string | null; track: string | null; closed_at: Date }[] =
      await this.dataSource.query(
        `SELECT p.id::text AS id, p.closing_outcome, p.track, p.closed_at
           FROM pathways p LEFT JOIN erasure_requests e ON e.pathway_id = p.id
          WHERE p.closed_at IS NOT NULL AND p.erased_at IS NULL
            AND p.closed_at < $1::timestamptz - make_interval(days => $2)
            AND (e.pathway_id IS NULL OR (e.status = 'KEPT' AND e.keep_until <= $1::timestamptz))
          ORDER BY p.closed_at, p.id`,
        [now, shortest],
      );
    const opened: string[] = [];
    const reviewUntil = new Date(now.getTime() + policy.reviewDays * 86_400_000);
    for (const row of rows) {
      // The birth date is sealed under the person's key: read through the repository that opens it.
      const facts = await this.read.legalFacts(row.id);
      const due = reviewDueAt(policy, {
        closingOutcome: row.closing_outcome,
        track: row.track,
        birthDate: facts?.birthDate ?? null,
        closedAt: row.closed_at,
      });
      if (due > now) continue;
      const written: unknown[] = await this.dataSource.query(
        `INSERT INTO erasure_requests (pathway_id, status, reason_code, requested_by, requested_at, review_until)
         VALUES ($1, 'REVIEW', 'RETENTION', 'retention', $2, $3)
         ON CONFLICT (pathway_id) DO UPDATE SET status = 'REVIEW', reason_code = 'RETENTION',
           requested_by = 'retention', requested_at = $2, review_until = $3, decided_by = NULL, decided_at = NULL
         WHERE erasure_requests.status = 'KEPT' AND erasure_requests.keep_until <= $2
         RETURNING pathway_id`,
        [row.id, now, reviewUntil],
      );
      if ((Array.isArray(written[0]) ? (written[0] as unknown[]) : written).length > 0) opened.push(row.id);
    }
    return opened;
  }

  /** Reviews whose time ran out without a coordinator keeping the person: to be erased. */
  async expiredReviews(now: Date): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT pathway_id::text AS id FROM erasure_requests
        WHERE status = 'REVIEW' AND review_until <= $1 ORDER BY review_until, pathway_id`,
      [now],
    );
    return rows.map((r) => r.id);
  }

  /** The open reviews, soonest first: ids, closing and the deadline (the coordinators open the pathway to decide). */
  async reviews(): Promise<RetentionReview[]> {
    const rows: { id: string; closed_at: Date; closing_outcome: string | null; review_until: Date }[] =
      await this.dataSource.query(
        `SELECT e.pathway_id::text AS id, p.closed_at, p.closing_outcome, e.review_until
           FROM erasure_requests e JOIN pathways p ON p.id = e.pathway_id
          WHERE e.status = 'REVIEW' ORDER BY e.review_until, e.pathway_id`,
      );
    return rows.map((r) => ({
      pathwayId: r.id,
      closedAt: r.closed_at,
      closingOutcome: r.closing_outcome,
      reviewUntil: r.review_until,
    }));
  }
}

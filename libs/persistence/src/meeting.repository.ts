// The operative group's meetings: the agenda generated for a date from the read model (open escalations, level 2
// first, then the oldest; then stalled pathways that have no open escalation), and the decision recorded per item.
// No statement here reads a person: an item names its pathway by id only.
import type { DataSource } from 'typeorm';

export interface MeetingRow {
  id: string;
  date: string;
  status: 'OPEN' | 'APPROVED';
  present: string[];
  createdBy: string;
  createdAt: string;
  approvedBy: string | null;
  approvedAt: string | null;
}

export interface MeetingDecisionRow {
  decision: string;
  note: string;
  dueAt: string | null;
  toAgency: string | null;
  decidedBy: string;
  decidedAt: string;
}

export interface MeetingItemRow {
  id: string;
  position: number;
  kind: 'ESCALATION' | 'STALLED_PATHWAY';
  pathwayId: string;
  escalationId: string | null;
  escalationKind: string | null;
  level: number | null;
  agency: string | null;
  taskTitle: string | null;
  stage: string | null;
  since: string;
  decision: MeetingDecisionRow | null;
}

export interface MeetingSummaryRow {
  id: string;
  date: string;
  status: 'OPEN' | 'APPROVED';
  items: number;
  decided: number;
}

const ISO = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const MEETING_COLUMNS = `id, to_char(held_on, 'YYYY-MM-DD') AS date, status, present, created_by AS "createdBy",
  ${ISO('created_at')} AS "createdAt", approved_by AS "approvedBy",
  CASE WHEN approved_at IS NULL THEN NULL ELSE ${ISO('approved_at')} END AS "approvedAt"`;

export class MeetingRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The meeting of a date with its agenda, generated now; the meeting already held (or planned) that date when there
   * is one, so a repeated request creates nothing. `created` says which.
   */
  async create(date: string, createdBy: string): Promise<{ id: string; created: boolean }> {
    return this.dataSource.transaction(async (m) => {
      const inserted: { id: string }[] = await m.query(
        `INSERT INTO meetings (id, held_on, status, created_by) VALUES (gen_random_uuid(), $1, 'OPEN', $2)
         ON CONFLICT (held_on) DO NOTHING RETURNING id`,
        [date, createdBy],
      );
      if (inserted.length === 0) {
        const [existing] = (await m.query(`SELECT id FROM meetings WHERE held_on = $1`, [date])) as { id: string }[];
        return { id: existing.id, created: false };
      }
      const id = inserted[0].id;
      await m.query(
        `INSERT INTO meeting_items (id, meeting_id, position, kind, pathway_id, escalation_id, escalation_kind, level,
                                    agency_code, task_title, stage, since)
         SELECT gen_random_uuid(), $1, row_number() OVER (ORDER BY e.level DESC, e.raised_at, e.id), 'ESCALATION',
                e.pathway_id, e.id, e.kind, e.level, e.agency_code, t.title, p.stage, e.raised_at
           FROM escalations e
           JOIN pathways p ON p.id = e.pathway_id
           LEFT JOIN tasks t ON t.id = e.task_id
          WHERE e.status = 'OPEN'`,
        [id],
      );
      await m.query(
        `INSERT INTO meeting_items (id, meeting_id, position, kind, pathway_id, stage, since)
         SELECT gen_random_uuid(), $1,
                (SELECT count(*) FROM meeting_items WHERE meeting_id = $1) + row_number() OVER (ORDER BY p.last_progress_at, p.id),
                'STALLED_PATHWAY', p.id, p.stage, p.last_progress_at
           FROM pathways p
          WHERE p.stalled AND p.stage <> 'CLOSED'
            AND NOT EXISTS (SELECT 1 FROM escalations e
                             WHERE e.pathway_id = p.id AND e.status = 'OPEN' AND e.kind = 'PATHWAY_STALLED')`,
        [id],
      );
      return { id, created: true };
    });
  }

  async find(id: string): Promise<MeetingRow | null> {
    const rows: MeetingRow[] = await this.dataSource.query(`SELECT ${MEETING_COLUMNS} FROM meetings WHERE id = $1`, [
      id,
    ]);
    return rows[0] ?? null;
  }

  /** The newest meetings first. */
  async list(limit: number): Promise<MeetingSummaryRow[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT m.id, to_char(m.held_on, 'YYYY-MM-DD') AS date, m.status,
              count(i.id) AS items, count(d.item_id) AS decided
         FROM meetings m
         LEFT JOIN meeting_items i ON i.meeting_id = m.id
         LEFT JOIN meeting_decisions d ON d.item_id = i.id
        GROUP BY m.id ORDER BY m.held_on DESC LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({
      id: String(r.id),
      date: String(r.date),
      status: r.status as 'OPEN' | 'APPROVED',
      items: Number(r.items),
      decided: Number(r.decided),
    }));
  }

  async items(meetingId: string): Promise<MeetingItemRow[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT i.id, i.position, i.kind, i.pathway_id, i.escalation_id, i.escalation_kind, i.level, i.agency_code,
              i.task_title, i.stage, ${ISO('i.since')} AS since,
              d.decision, d.note, CASE WHEN d.due_at IS NULL THEN NULL ELSE ${ISO('d.due_at')} END AS due_at,
              d.to_agency, d.decided_by, CASE WHEN d.decided_at IS NULL THEN NULL ELSE ${ISO('d.decided_at')} END AS decided_at
         FROM meeting_items i LEFT JOIN meeting_decisions d ON d.item_id = i.id
        WHERE i.meeting_id = $1 ORDER BY i.position`,
      [meetingId],
    );
    return rows.map((r) => ({
      id: String(r.id),
      position: Number(r.position),
      kind: r.kind as MeetingItemRow['kind'],
      pathwayId: String(r.pathway_id),
      escalationId: (r.escalation_id as string | null) ?? null,
      escalationKind: (r.escalation_kind as string | null) ?? null,
      level: r.level === null ? null : Number(r.level),
      agency: (r.agency_code as string | null) ?? null,
      taskTitle: (r.task_title as string | null) ?? null,
      stage: (r.stage as string | null) ?? null,
      since: String(r.since),
      decision:
        r.decision === null
          ? null
          : {
              decision: String(r.decision),
              note: String(r.note),
              dueAt: (r.due_at as string | null) ?? null,
              toAgency: (r.to_agency as string | null) ?? null,
              decidedBy: String(r.decided_by),
              decidedAt: String(r.decided_at),
            },
    }));
  }

  /** Records an item's decision once; a second one for the item changes nothing (the caller compares). */
  async decide(
    itemId: string,
    d: { decision: string; note: string; dueAt?: string; toAgency?: string; decidedBy: string },
  ): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO meeting_decisions (item_id, decision, note, due_at, to_agency, decided_by)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (item_id) DO NOTHING`,
      [itemId, d.decision, d.note, d.dueAt ?? null, d.toAgency ?? null, d.decidedBy],
    );
  }

  /** Approves an open meeting with who was present; false when it was approved already. */
  async approve(id: string, present: readonly string[], approvedBy: string): Promise<boolean> {
    // As a SELECT over the UPDATE: TypeORM answers a bare UPDATE with [rows, count] instead of the rows.
    const rows: unknown[] = await this.dataSource.query(
      `WITH approved AS (
         UPDATE meetings SET status = 'APPROVED', present = $2, approved_by = $3, approved_at = now()
          WHERE id = $1 AND status = 'OPEN' RETURNING id)
       SELECT id FROM approved`,
      [id, present, approvedBy],
    );
    return rows.length > 0;
  }
}

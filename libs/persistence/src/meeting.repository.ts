// The operative group's meetings: the agenda generated for a date from the read model, and the decision recorded per
// item. The agenda, in this order: open escalations (level 2 first, then the oldest); new pathways awaiting the joint
// assessment; stalled pathways that have no open escalation; releases within 8 weeks of the date; people turning 18
// within 6 months of it; then the items members add by hand, in the order added. An item names its pathway by id only;
// the one personal fact read is a birth date, kept on the item as the day the person turns 18.
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
  /** CHANGE_PRIORITY: the priority decided; CLOSE: the closing outcome asked for. */
  priority: string | null;
  outcome: string | null;
  decidedBy: string;
  decidedAt: string;
}

export const MEETING_ITEM_KINDS = [
  'ESCALATION',
  'AWAITING_ASSESSMENT',
  'STALLED_PATHWAY',
  'RELEASE_SOON',
  'TURNING_18',
  'MANUAL',
] as const;
export type MeetingItemKind = (typeof MEETING_ITEM_KINDS)[number];

/** How far ahead the agenda looks: releases within 8 weeks, 18th birthdays within 6 months of the meeting's date. */
export const AGENDA_RELEASE_DAYS = 56;
export const AGENDA_ADULT_MONTHS = 6;

export interface MeetingItemRow {
  id: string;
  position: number;
  kind: MeetingItemKind;
  pathwayId: string | null;
  escalationId: string | null;
  escalationKind: string | null;
  level: number | null;
  agency: string | null;
  taskTitle: string | null;
  stage: string | null;
  since: string | null;
  /** The day that put it on the agenda: the expected release, the 18th birthday. */
  onDate: string | null;
  /** A member's item: its subject, why it is there, and the member's agency. */
  title: string | null;
  why: string | null;
  addedBy: string | null;
  /** The priority its pathway has now (NORMAL or HIGH); null for an item about no pathway. */
  priority: string | null;
  decision: MeetingDecisionRow | null;
}

export interface RecommendationRow {
  meetingId: string;
  meetingDate: string;
  meetingStatus: 'OPEN' | 'APPROVED';
  itemId: string;
  kind: MeetingItemKind;
  pathwayId: string | null;
  title: string | null;
  note: string;
  decidedBy: string;
  decidedAt: string;
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
      // Each kind after the ones before it: its positions continue from the items inserted so far.
      const next = `(SELECT count(*) FROM meeting_items WHERE meeting_id = $1)`;
      await m.query(
        `INSERT INTO meeting_items (id, meeting_id, position, kind, pathway_id, agency_code, task_title, stage, since)
         SELECT gen_random_uuid(), $1, ${next} + row_number() OVER (ORDER BY t.created_at, t.id),
                'AWAITING_ASSESSMENT', p.id, t.agency_code, t.title, p.stage, t.created_at
           FROM tasks t JOIN pathways p ON p.id = t.pathway_id
          WHERE t.type = 'JOINT_ASSESSMENT' AND t.status IN ('OPEN', 'CLAIMED') AND p.stage <> 'CLOSED'
            AND NOT EXISTS (SELECT 1 FROM escalations e WHERE e.task_id = t.id AND e.status = 'OPEN')`,
        [id],
      );
      await m.query(
        `INSERT INTO meeting_items (id, meeting_id, position, kind, pathway_id, stage, since)
         SELECT gen_random_uuid(), $1, ${next} + row_number() OVER (ORDER BY p.last_progress_at, p.id),
                'STALLED_PATHWAY', p.id, p.stage, p.last_progress_at
           FROM pathways p
          WHERE p.stalled AND p.stage <> 'CLOSED'
            AND NOT EXISTS (SELECT 1 FROM escalations e
                             WHERE e.pathway_id = p.id AND e.status = 'OPEN' AND e.kind = 'PATHWAY_STALLED')`,
        [id],
      );
      await m.query(
        `INSERT INTO meeting_items (id, meeting_id, position, kind, pathway_id, stage, on_date)
         SELECT gen_random_uuid(), $1, ${next} + row_number() OVER (ORDER BY r.day, p.id), 'RELEASE_SOON', p.id,
                p.stage, r.day
           FROM pathways p
          CROSS JOIN LATERAL (SELECT (p.expected_release_at AT TIME ZONE 'Europe/Copenhagen')::date AS day) r
          WHERE p.stage IN ('CUSTODY', 'RELEASE_PLANNING')
            AND r.day BETWEEN $2::date AND $2::date + ${AGENDA_RELEASE_DAYS}`,
        [id, date],
      );
      await m.query(
        `INSERT INTO meeting_items (id, meeting_id, position, kind, pathway_id, stage, on_date)
         SELECT gen_random_uuid(), $1, ${next} + row_number() OVER (ORDER BY a.day, p.id), 'TURNING_18', p.id,
                p.stage, a.day
           FROM pathways p JOIN persons s ON s.pathway_id = p.id
          CROSS JOIN LATERAL (SELECT (s.birth_date + interval '18 years')::date AS day) a
          WHERE p.stage <> 'CLOSED'
            AND a.day BETWEEN $2::date AND ($2::date + interval '${AGENDA_ADULT_MONTHS} months')::date`,
        [id, date],
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
              i.task_title, i.stage, CASE WHEN i.since IS NULL THEN NULL ELSE ${ISO('i.since')} END AS since,
              to_char(i.on_date, 'YYYY-MM-DD') AS on_date, i.title, i.why, i.added_by,
              d.decision, d.note, CASE WHEN d.due_at IS NULL THEN NULL ELSE ${ISO('d.due_at')} END AS due_at,
              d.to_agency, d.priority, d.outcome, d.decided_by,
              CASE WHEN d.decided_at IS NULL THEN NULL ELSE ${ISO('d.decided_at')} END AS decided_at,
              p.priority AS pathway_priority
         FROM meeting_items i LEFT JOIN meeting_decisions d ON d.item_id = i.id
         LEFT JOIN pathways p ON p.id = i.pathway_id
        WHERE i.meeting_id = $1 ORDER BY i.position`,
      [meetingId],
    );
    return rows.map((r) => ({
      id: String(r.id),
      position: Number(r.position),
      kind: r.kind as MeetingItemRow['kind'],
      pathwayId: (r.pathway_id as string | null) ?? null,
      escalationId: (r.escalation_id as string | null) ?? null,
      escalationKind: (r.escalation_kind as string | null) ?? null,
      level: r.level === null ? null : Number(r.level),
      agency: (r.agency_code as string | null) ?? null,
      taskTitle: (r.task_title as string | null) ?? null,
      stage: (r.stage as string | null) ?? null,
      since: (r.since as string | null) ?? null,
      onDate: (r.on_date as string | null) ?? null,
      title: (r.title as string | null) ?? null,
      why: (r.why as string | null) ?? null,
      addedBy: (r.added_by as string | null) ?? null,
      priority: (r.pathway_priority as string | null) ?? null,
      decision:
        r.decision === null
          ? null
          : {
              decision: String(r.decision),
              note: String(r.note),
              dueAt: (r.due_at as string | null) ?? null,
              toAgency: (r.to_agency as string | null) ?? null,
              priority: (r.priority as string | null) ?? null,
              outcome: (r.outcome as string | null) ?? null,
              decidedBy: String(r.decided_by),
              decidedAt: String(r.decided_at),
            },
    }));
  }

  /**
   * A member's item, last on the agenda of an open meeting. The same item again (a retried request) is the one added
   * before. 'approved' when the minutes are approved; 'gone' when the meeting does not exist.
   */
  async addItem(
    meetingId: string,
    item: { title: string; why: string; pathwayId?: string; addedBy: string },
  ): Promise<{ itemId: string; created: boolean } | 'approved' | 'gone'> {
    return this.dataSource.transaction(async (m) => {
      // The meeting's row locked: concurrent additions take positions one after the other.
      const [meeting] = (await m.query(`SELECT status FROM meetings WHERE id = $1 FOR UPDATE`, [meetingId])) as {
        status: string;
      }[];
      if (!meeting) return 'gone';
      const same: { id: string }[] = await m.query(
        `SELECT id FROM meeting_items
          WHERE meeting_id = $1 AND kind = 'MANUAL' AND title = $2 AND why = $3
            AND pathway_id IS NOT DISTINCT FROM $4::uuid`,
        [meetingId, item.title, item.why, item.pathwayId ?? null],
      );
      if (same.length > 0) return { itemId: same[0].id, created: false };
      if (meeting.status === 'APPROVED') return 'approved';
      const [inserted] = (await m.query(
        `INSERT INTO meeting_items (id, meeting_id, position, kind, pathway_id, title, why, added_by, since)
         VALUES (gen_random_uuid(), $1, (SELECT coalesce(max(position), 0) + 1 FROM meeting_items WHERE meeting_id = $1),
                 'MANUAL', $2, $3, $4, $5, now())
         RETURNING id`,
        [meetingId, item.pathwayId ?? null, item.title, item.why, item.addedBy],
      )) as { id: string }[];
      return { itemId: inserted.id, created: true };
    });
  }

  async pathwayExists(id: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM pathways WHERE id = $1`, [id]);
    return rows.length > 0;
  }

  /** The recommendations to Sikker By from the meetings held on or after a date, the newest meeting first. */
  async recommendations(from: string, limit: number): Promise<RecommendationRow[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT m.id AS meeting_id, to_char(m.held_on, 'YYYY-MM-DD') AS meeting_date, m.status, i.id AS item_id, i.kind,
              i.pathway_id, coalesce(i.title, i.task_title) AS title, d.note, d.decided_by,
              ${ISO('d.decided_at')} AS decided_at
         FROM meeting_decisions d
         JOIN meeting_items i ON i.id = d.item_id
         JOIN meetings m ON m.id = i.meeting_id
        WHERE d.decision = 'RECOMMEND' AND m.held_on >= $1::date
        ORDER BY m.held_on DESC, i.position
        LIMIT $2`,
      [from, limit],
    );
    return rows.map((r) => ({
      meetingId: String(r.meeting_id),
      meetingDate: String(r.meeting_date),
      meetingStatus: r.status as 'OPEN' | 'APPROVED',
      itemId: String(r.item_id),
      kind: r.kind as MeetingItemKind,
      pathwayId: (r.pathway_id as string | null) ?? null,
      title: (r.title as string | null) ?? null,
      note: String(r.note),
      decidedBy: String(r.decided_by),
      decidedAt: String(r.decided_at),
    }));
  }

  /** Records an item's decision once; a second one for the item changes nothing (the caller compares). */
  async decide(
    itemId: string,
    d: {
      decision: string;
      note: string;
      dueAt?: string;
      toAgency?: string;
      priority?: string;
      outcome?: string;
      decidedBy: string;
    },
  ): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO meeting_decisions (item_id, decision, note, due_at, to_agency, priority, outcome, decided_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (item_id) DO NOTHING`,
      [
        itemId,
        d.decision,
        d.note,
        d.dueAt ?? null,
        d.toAgency ?? null,
        d.priority ?? null,
        d.outcome ?? null,
        d.decidedBy,
      ],
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

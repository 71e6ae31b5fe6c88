// Agency task queues: most urgent first (escalation level, overdue, the pathway's priority, deadline), keyset-paginated on the same
// ascending key that tasks_queue_idx holds, and the "give me the next task" reservation.
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import type { Task } from '../../domain/src';
import { decodeCursor, encodeCursor, isCursorId, isCursorInstant } from './cursor';

export interface QueueFilter {
  /** true: only tasks on hold (the "På hold" tab); otherwise only tasks not on hold (the active queue). */
  held?: boolean;
  status?: 'OPEN' | 'CLAIMED';
  overdue?: boolean;
  assignee?: string;
}

export interface UrgencyCursor {
  rank: number;
  dueAt: string;
  id: string;
}

export interface UrgentPage {
  items: QueueTask[];
  nextCursor: string | null;
}

// Times leave PostgreSQL already written as ISO 8601 UTC: parsing them into Dates only to write them out again is
// most of this query's cost on the Node side.
const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
const QUEUE_COLUMNS = `id, pathway_id, task_key, stage, agency_code, type, title, status,
  to_char(created_at AT TIME ZONE 'UTC', ${ISO}) AS created_iso, to_char(due_at AT TIME ZONE 'UTC', ${ISO}) AS due_iso,
  assignee, overdue, compressed, escalation_level, handover_to, handover_state, acknowledges, queue_rank, due_at::text AS due_key,
  to_char(held_until AT TIME ZONE 'UTC', ${ISO}) AS held_until_iso, hold_reason,
  to_char(held_since AT TIME ZONE 'UTC', ${ISO}) AS held_since_iso, prioritized`;

interface QueueRow {
  id: string;
  pathway_id: string;
  task_key: string;
  stage: Task['stage'];
  agency_code: string;
  type: string;
  title: string;
  status: Task['status'];
  created_iso: string;
  due_iso: string;
  assignee: string | null;
  overdue: boolean;
  compressed: boolean;
  escalation_level: number;
  handover_to: string | null;
  handover_state: string | null;
  acknowledges: string | null;
  queue_rank: number;
  /** The deadline as PostgreSQL writes it, microseconds included: the cursor must not round it. */
  due_key: string;
  held_until_iso: string | null;
  hold_reason: string | null;
  held_since_iso: string | null;
  prioritized: boolean;
}

/** A task in a queue: with whether its pathway is prioritized (the meeting's CHANGE_PRIORITY). */
export type QueueTask = Task & { prioritized?: true };

/** What a queue shows of a task: the work and its urgency, nothing about the person. */
function fromQueueRow(r: QueueRow): QueueTask {
  return {
    id: r.id,
    pathwayId: r.pathway_id,
    key: r.task_key,
    stage: r.stage,
    agency: r.agency_code,
    type: r.type,
    title: r.title,
    status: r.status,
    createdAt: r.created_iso,
    dueAt: r.due_iso,
    ...(r.assignee ? { assignee: r.assignee } : {}),
    overdue: r.overdue,
    ...(r.compressed ? { compressed: true } : {}),
    escalationLevel: r.escalation_level,
    ...(r.handover_to
      ? { handover: { to: r.handover_to, state: (r.handover_state ?? 'NOT_STARTED') as 'NOT_STARTED' } }
      : {}),
    ...(r.acknowledges ? { acknowledges: r.acknowledges } : {}),
    ...(r.held_until_iso
      ? {
          hold: {
            until: r.held_until_iso,
            reason: r.hold_reason as NonNullable<Task['hold']>['reason'],
            since: r.held_since_iso ?? r.held_until_iso,
          },
        }
      : {}),
    ...(r.prioritized ? { prioritized: true as const } : {}),
  };
}

/**
 * The statement behind a queue page: plain SQL, because this is the hottest read in the system and its ORDER BY is
 * exactly tasks_queue_idx. Which conditions are present names it, so one name always carries one text.
 */
export function queuePageStatement(
  agency: string,
  filter: QueueFilter,
  limit: number,
  after?: UrgencyCursor,
): { name: string; text: string; values: unknown[] } {
  const values: unknown[] = [agency, limit];
  const where = [`agency_code = $1`, `status IN ('OPEN', 'CLAIMED')`];
  // A held task has left the active queue; the "På hold" tab lists those only.
  where.push(filter.held ? `held_until IS NOT NULL` : `held_until IS NULL`);
  let shape = filter.held ? 'h' : '';
  if (filter.status) {
    where.push(`status = $${values.push(filter.status)}`);
    shape += 's';
  }
  if (filter.overdue !== undefined) {
    where.push(`overdue = $${values.push(filter.overdue)}`);
    shape += 'o';
  }
  if (filter.assignee) {
    where.push(`assignee = $${values.push(filter.assignee)}`);
    shape += 'a';
  }
  if (after) {
    const r = values.push(after.rank);
    const d = values.push(after.dueAt);
    const i = values.push(after.id);
    where.push(`(queue_rank, due_at, id) > ($${r}::smallint, $${d}::timestamptz, $${i}::uuid)`);
    shape += 'c';
  }
  return {
    name: `queue_page_${shape}`,
    text: `SELECT ${QUEUE_COLUMNS} FROM tasks WHERE ${where.join(' AND ')} ORDER BY queue_rank, due_at, id LIMIT $2`,
    values,
  };
}

/** How long a task handed out by `next` stays reserved for its caller while the claim goes through. */
const RESERVATION_SECONDS = 30;

export class QueueRepository {
  constructor(private readonly dataSource: DataSource) {}

  async page(agency: string, filter: QueueFilter, limit: number, after?: UrgencyCursor): Promise<UrgentPage> {
    // A named statement is parsed and planned once per connection instead of on every call; TypeORM's query()
    // cannot name one, so this goes to the driver's pool.
    const pool = (this.dataSource.driver as PostgresDriver).master as Pool;
    const { rows } = await pool.query<QueueRow>(queuePageStatement(agency, filter, limit + 1, after));
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(fromQueueRow),
      nextCursor:
        rows.length > limit && last
          ? encodeUrgencyCursor({ rank: last.queue_rank, dueAt: last.due_key, id: last.id })
          : null,
    };
  }

  /**
   * Reserves the most urgent open, unclaimed task no one else holds, for `caller`. SKIP LOCKED and the
   * reservation together mean two callers never get the same task.
   */
  async reserveNext(
    agency: string,
    caller: string,
    skip: string[] = [],
  ): Promise<{ id: string; pathwayId: string } | null> {
    // TypeORM answers an UPDATE … RETURNING with [rows, affected].
    const [rows]: [{ id: string; pathway_id: string }[], number] = await this.dataSource.query(
      `UPDATE tasks SET reserved_until = now() + make_interval(secs => $3), reserved_by = $2
        WHERE id = (
          SELECT id FROM tasks
           WHERE agency_code = $1 AND status = 'OPEN' AND held_until IS NULL
             AND (reserved_until IS NULL OR reserved_until < now())
             AND NOT (id = ANY($4::uuid[]))
           ORDER BY queue_rank, due_at, id
           LIMIT 1
           FOR UPDATE SKIP LOCKED)
        RETURNING id, pathway_id`,
      [agency, caller, RESERVATION_SECONDS, skip],
    );
    return rows[0] ? { id: rows[0].id, pathwayId: rows[0].pathway_id } : null;
  }

  /**
   * The "Afsluttet" tab: the agency's tasks that ended (DONE or CANCELLED) within the last `days` days, newest first,
   * keyset-paginated on (completed_at, id) descending, as tasks_ended_idx holds them.
   */
  async endedPage(
    agency: string,
    filter: { assignee?: string },
    days: number,
    limit: number,
    after?: EndedCursor,
  ): Promise<UrgentPage> {
    const values: unknown[] = [agency, limit + 1, days];
    const where = [
      `agency_code = $1`,
      `status IN ('DONE', 'CANCELLED')`,
      `completed_at > now() - make_interval(days => $3)`,
    ];
    if (filter.assignee) where.push(`assignee = $${values.push(filter.assignee)}`);
    if (after) {
      const c = values.push(after.completedAt);
      const i = values.push(after.id);
      where.push(`(completed_at, id) < ($${c}::timestamptz, $${i}::uuid)`);
    }
    const rows: (QueueRow & {
      outcome: string | null;
      cancel_code: string | null;
      completed_by: string | null;
      completed_iso: string;
      completed_key: string;
    })[] = await this.dataSource.query(
      `SELECT ${QUEUE_COLUMNS}, outcome, cancel_code, completed_by,
              to_char(completed_at AT TIME ZONE 'UTC', ${ISO}) AS completed_iso, completed_at::text AS completed_key
         FROM tasks WHERE ${where.join(' AND ')} ORDER BY completed_at DESC, id DESC LIMIT $2`,
      values,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({
        ...fromQueueRow(r),
        ...(r.outcome ? { outcome: r.outcome } : {}),
        ...(r.cancel_code ? { cancelCode: r.cancel_code as Task['cancelCode'] } : {}),
        ...(r.completed_by ? { completedBy: r.completed_by } : {}),
        completedAt: r.completed_iso,
      })),
      nextCursor: rows.length > limit && last ? encodeCursor('ended', [last.completed_key, last.id]) : null,
    };
  }

  async release(id: string): Promise<void> {
    await this.dataSource.query('UPDATE tasks SET reserved_until = NULL, reserved_by = NULL WHERE id = $1', [id]);
  }
}

export function encodeUrgencyCursor(cursor: UrgencyCursor): string {
  return encodeCursor('queue', [cursor.rank, cursor.dueAt, cursor.id]);
}

/** Undefined when the text is not a cursor this API handed out. */
export function decodeUrgencyCursor(text: string): UrgencyCursor | undefined {
  const key = decodeCursor(text, 'queue', 3);
  if (!key) return undefined;
  const [rank, dueAt, id] = key;
  if (typeof rank !== 'number' || !Number.isInteger(rank) || rank < 0 || rank > 11) return undefined;
  if (!isCursorInstant(dueAt) || !isCursorId(id)) return undefined;
  return { rank, dueAt, id };
}

export interface EndedCursor {
  completedAt: string;
  id: string;
}

/** Undefined when the text is not a cursor of the "Afsluttet" tab this API handed out. */
export function decodeEndedCursor(text: string): EndedCursor | undefined {
  const key = decodeCursor(text, 'ended', 2);
  if (!key) return undefined;
  const [completedAt, id] = key;
  if (!isCursorInstant(completedAt) || !isCursorId(id)) return undefined;
  return { completedAt, id };
}

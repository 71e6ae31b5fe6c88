// Agency task queues: most urgent first (escalation level, overdue, deadline), keyset-paginated on the same
// ascending key that tasks_queue_idx holds, and the "give me the next task" reservation.
import type { DataSource } from 'typeorm';
import type { Task } from '../../domain/src';
import { TaskEntity } from './entities';
import { toTask } from './read.repository';

export interface QueueFilter {
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
  items: Task[];
  nextCursor: string | null;
}

/** How long a task handed out by `next` stays reserved for its caller while the claim goes through. */
const RESERVATION_SECONDS = 30;

export class QueueRepository {
  constructor(private readonly dataSource: DataSource) {}

  async page(agency: string, filter: QueueFilter, limit: number, after?: UrgencyCursor): Promise<UrgentPage> {
    const query = this.dataSource
      .getRepository(TaskEntity)
      .createQueryBuilder('t')
      .addSelect('t.queue_rank', 'queue_rank')
      .where('t.agency_code = :agency', { agency })
      .andWhere("t.status IN ('OPEN', 'CLAIMED')")
      .orderBy('t.queue_rank', 'ASC')
      .addOrderBy('t.due_at', 'ASC')
      .addOrderBy('t.id', 'ASC')
      .limit(limit + 1);
    if (filter.status) query.andWhere('t.status = :status', { status: filter.status });
    if (filter.overdue !== undefined) query.andWhere('t.overdue = :overdue', { overdue: filter.overdue });
    if (filter.assignee) query.andWhere('t.assignee = :assignee', { assignee: filter.assignee });
    if (after) {
      query.andWhere('(t.queue_rank, t.due_at, t.id) > (:rank, :dueAt::timestamptz, :id::uuid)', after);
    }
    const { entities, raw } = await query.getRawAndEntities<{ queue_rank: number }>();
    const items = entities.slice(0, limit).map(toTask);
    const lastIndex = items.length - 1;
    const more = entities.length > limit && lastIndex >= 0;
    return {
      items,
      nextCursor: more
        ? encodeUrgencyCursor({
            rank: Number(raw[lastIndex].queue_rank),
            dueAt: items[lastIndex].dueAt,
            id: items[lastIndex].id,
          })
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
    const rows: { id: string; pathway_id: string }[] = await this.dataSource.query(
      `UPDATE tasks SET reserved_until = now() + make_interval(secs => $3), reserved_by = $2
        WHERE id = (
          SELECT id FROM tasks
           WHERE agency_code = $1 AND status = 'OPEN'
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

  async release(id: string): Promise<void> {
    await this.dataSource.query('UPDATE tasks SET reserved_until = NULL, reserved_by = NULL WHERE id = $1', [id]);
  }
}

export function encodeUrgencyCursor(cursor: UrgencyCursor): string {
  return Buffer.from(JSON.stringify([cursor.rank, cursor.dueAt, cursor.id])).toString('base64url');
}

/** Undefined when the text is not a cursor this API handed out. */
export function decodeUrgencyCursor(text: string): UrgencyCursor | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 3) return undefined;
    const [rank, dueAt, id] = value;
    if (!Number.isInteger(rank) || rank < 0 || rank > 5) return undefined;
    if (typeof dueAt !== 'string' || Number.isNaN(Date.parse(dueAt))) return undefined;
    if (typeof id !== 'string' || !/^[0-9a-f-]{36}$/.test(id)) return undefined;
    return { rank, dueAt, id };
  } catch {
    return undefined;
  }
}

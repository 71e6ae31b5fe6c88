// The operative group's board: open escalations, highest level and oldest first, keyset-paginated; and the history of
// resolved ones, the latest resolved first.
import type { DataSource } from 'typeorm';

export interface EscalationRow {
  id: string;
  pathwayId: string;
  taskId: string | null;
  taskTitle: string | null;
  kind: string;
  level: number;
  agency: string;
  escalatedTo: string;
  status: string;
  raisedAt: Date;
  resolvedAt: Date | null;
  decision: string | null;
  note: string | null;
}

export interface EscalationCursor {
  level: number;
  raisedAt: string;
  id: string;
}

const COLUMNS = `e.id, e.pathway_id AS "pathwayId", e.task_id AS "taskId", t.title AS "taskTitle", e.kind, e.level,
  e.agency_code AS agency, e.escalated_to AS "escalatedTo", e.status, e.raised_at AS "raisedAt", e.resolved_at AS "resolvedAt",
  e.decision, e.note`;

export class EscalationRepository {
  constructor(private readonly dataSource: DataSource) {}

  async find(id: string): Promise<EscalationRow | null> {
    const rows: EscalationRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM escalations e LEFT JOIN tasks t ON t.id = e.task_id WHERE e.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** Open escalations, level 2 first, then the oldest; matches escalations_open_idx. */
  async open(
    filter: { level?: number; agency?: string },
    limit: number,
    after?: EscalationCursor,
  ): Promise<{ rows: EscalationRow[]; next: EscalationCursor | null }> {
    const params: unknown[] = [limit + 1];
    const where = [`e.status = 'OPEN'`];
    if (filter.level !== undefined) where.push(`e.level = $${params.push(filter.level)}`);
    if (filter.agency !== undefined) where.push(`e.agency_code = $${params.push(filter.agency)}`);
    if (after) {
      // level DESC, raised_at ASC, id ASC as one comparison: (-level, raised_at, id) ascending.
      const l = params.push(after.level);
      const r = params.push(after.raisedAt);
      const i = params.push(after.id);
      where.push(`(-e.level, e.raised_at, e.id) > (-$${l}::int, $${r}::timestamptz, $${i}::text)`);
    }
    const rows: EscalationRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM escalations e LEFT JOIN tasks t ON t.id = e.task_id
        WHERE ${where.join(' AND ')}
        ORDER BY e.level DESC, e.raised_at, e.id
        LIMIT $1`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      rows: page,
      next:
        rows.length > limit && last
          ? { level: last.level, raisedAt: new Date(last.raisedAt).toISOString(), id: last.id }
          : null,
    };
  }

  /** Resolved escalations, the latest resolved first; matches escalations_resolved_idx. */
  async resolved(
    filter: { level?: number; agency?: string; decision?: string },
    limit: number,
    after?: { resolvedAt: string; id: string },
  ): Promise<{ rows: EscalationRow[]; next: { resolvedAt: string; id: string } | null }> {
    const params: unknown[] = [limit + 1];
    const where = [`e.status = 'RESOLVED'`];
    if (filter.level !== undefined) where.push(`e.level = $${params.push(filter.level)}`);
    if (filter.agency !== undefined) where.push(`e.agency_code = $${params.push(filter.agency)}`);
    if (filter.decision !== undefined) where.push(`e.decision = $${params.push(filter.decision)}`);
    if (after) {
      const r = params.push(after.resolvedAt);
      const i = params.push(after.id);
      where.push(`(e.resolved_at, e.id) < ($${r}::timestamptz, $${i}::text)`);
    }
    const rows: EscalationRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM escalations e LEFT JOIN tasks t ON t.id = e.task_id
        WHERE ${where.join(' AND ')}
        ORDER BY e.resolved_at DESC, e.id DESC
        LIMIT $1`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      rows: page,
      next:
        rows.length > limit && last && last.resolvedAt
          ? { resolvedAt: new Date(last.resolvedAt).toISOString(), id: last.id }
          : null,
    };
  }
}

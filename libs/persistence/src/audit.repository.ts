// The audit trail of personal data: who (the person's user id and agency), when, what, and on which legal basis.
// Lists that point at people (a queue's rows, the escalation board) are audited too: what was listed and how many.
import type { DataSource } from 'typeorm';

export interface AuditEntry {
  /** The acting person's agency. */
  actor: string;
  /** The acting person's user id at the identity provider (never a name). */
  actorUserId?: string;
  action: string;
  pathwayId?: string;
  taskId?: string;
  legalBasis: string;
  /** For a list read: what was listed (an agency code, the filter), never a name. */
  detail?: Record<string, string | number | boolean>;
  /** For a list read: how many rows the answer showed. */
  itemCount?: number;
}

export class AuditRepository {
  constructor(private readonly dataSource: DataSource) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO audit_log (actor_agency, actor_user_id, action, pathway_id, task_id, legal_basis, detail, item_count)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        entry.actor,
        entry.actorUserId ?? null,
        entry.action,
        entry.pathwayId ?? null,
        entry.taskId ?? null,
        entry.legalBasis,
        entry.detail === undefined ? null : JSON.stringify(entry.detail),
        entry.itemCount ?? null,
      ],
    );
  }

  /** One read of personal data on several pathways (a queue page with names): a row for each, in one statement. */
  async recordEach(entry: Omit<AuditEntry, 'pathwayId' | 'taskId'>, pathwayIds: readonly string[]): Promise<void> {
    if (pathwayIds.length === 0) return;
    await this.dataSource.query(
      `INSERT INTO audit_log (actor_agency, actor_user_id, action, pathway_id, legal_basis)
       SELECT $1, $2, $3, pathway_id, $4 FROM unnest($5::uuid[]) AS pathway_id`,
      [entry.actor, entry.actorUserId ?? null, entry.action, entry.legalBasis, [...new Set(pathwayIds)]],
    );
  }
}

// The audit trail of reads of personal data: who (agency), when, what, and on which legal basis.
import type { DataSource } from 'typeorm';

export interface AuditEntry {
  actor: string;
  action: string;
  pathwayId?: string;
  taskId?: string;
  legalBasis: string;
}

export class AuditRepository {
  constructor(private readonly dataSource: DataSource) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO audit_log (actor_agency, action, pathway_id, task_id, legal_basis) VALUES ($1, $2, $3, $4, $5)`,
      [entry.actor, entry.action, entry.pathwayId ?? null, entry.taskId ?? null, entry.legalBasis],
    );
  }
}

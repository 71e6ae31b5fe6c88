// Writes the pathway workflow's changes into the read model. Idempotent and order-tolerant: rows carry the
// workflow's version and only a newer version overwrites; timeline entries are inserted once by their id.
import type { DataSource, EntityManager } from 'typeorm';
import type { PathwayProjection } from '../../../activities/pathway.activities';

export class ProjectionRepository {
  constructor(private readonly dataSource: DataSource) {}

  async apply(p: PathwayProjection): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await this.upsertPathway(m, p);
      if (p.person && p.contact) {
        await m.query(
          `INSERT INTO persons (pathway_id, name, birth_date, lives_with_parents, contact_source_agency,
                                contact_occurred_at, contact_context)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (pathway_id) DO NOTHING`,
          [
            p.pathwayId,
            p.person.name,
            p.person.birthDate,
            p.person.livesWithParents ?? null,
            p.contact.sourceAgency,
            p.contact.occurredAt,
            p.contact.context,
          ],
        );
      }
      for (const t of p.tasks) {
        await m.query(
          `INSERT INTO tasks (id, pathway_id, task_key, stage, agency_code, type, title, status, created_at, due_at,
                              assignee, outcome, completed_at, completed_by, cancel_reason, version)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
           ON CONFLICT (id) DO UPDATE SET
             agency_code = excluded.agency_code, status = excluded.status, due_at = excluded.due_at,
             assignee = excluded.assignee, outcome = excluded.outcome, completed_at = excluded.completed_at,
             completed_by = excluded.completed_by, cancel_reason = excluded.cancel_reason, version = excluded.version
           WHERE tasks.version < excluded.version`,
          [
            t.id,
            p.pathwayId,
            t.key,
            t.stage,
            t.agency,
            t.type,
            t.title,
            t.status,
            t.createdAt,
            t.dueAt,
            t.assignee ?? null,
            t.outcome ?? null,
            t.completedAt ?? null,
            t.completedBy ?? null,
            t.cancelReason ?? null,
            p.version,
          ],
        );
      }
      for (const e of p.timeline) {
        await m.query(
          `INSERT INTO timeline_entries (id, pathway_id, sequence, at, kind, agency_code, task_id, detail)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (id) DO NOTHING`,
          [e.id, p.pathwayId, e.sequence, e.at, e.kind, e.agency ?? null, e.taskId ?? null, e.detail],
        );
      }
    });
  }

  private async upsertPathway(m: EntityManager, p: PathwayProjection): Promise<void> {
    await m.query(
      `INSERT INTO pathways (id, workflow_id, stage, track, district, playbook_version, opened_at, last_progress_at,
                             version, consent, motivated, expected_release_at, stage_entered_at, closed_at,
                             closing_outcome, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, now())
       ON CONFLICT (id) DO UPDATE SET
         stage = excluded.stage, track = excluded.track, district = excluded.district,
         playbook_version = excluded.playbook_version, last_progress_at = excluded.last_progress_at,
         version = excluded.version, consent = excluded.consent, motivated = excluded.motivated,
         expected_release_at = excluded.expected_release_at, stage_entered_at = excluded.stage_entered_at,
         closed_at = excluded.closed_at, closing_outcome = excluded.closing_outcome, updated_at = now()
       WHERE pathways.version < excluded.version`,
      [
        p.pathwayId,
        p.workflowId,
        p.stage,
        p.track ?? null,
        p.district,
        p.playbookVersion,
        p.openedAt,
        p.lastProgressAt,
        p.version,
        p.consent,
        p.motivated ?? null,
        p.expectedReleaseAt ?? null,
        p.stageEnteredAt,
        p.closedAt ?? null,
        p.closingOutcome ?? null,
      ],
    );
  }
}

// Writes the pathway workflow's changes into the read model. Idempotent and order-tolerant: rows carry the
// workflow's version and only a newer version overwrites; timeline entries are inserted once by their id.
import type { DataSource, EntityManager } from 'typeorm';
import type { PathwayProjection } from '../../domain/src';

export class ProjectionRepository {
  constructor(private readonly dataSource: DataSource) {}

  async apply(p: PathwayProjection): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await this.upsertPathway(m, p);
      if (p.person && p.contact) {
        await m.query(
          `INSERT INTO persons (pathway_id, name, birth_date, lives_with_parents, contact_source_agency,
                                contact_occurred_at, contact_context, contact_target_group)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (pathway_id) DO NOTHING`,
          [
            p.pathwayId,
            p.person.name,
            p.person.birthDate,
            p.person.livesWithParents ?? null,
            p.contact.sourceAgency,
            p.contact.occurredAt,
            p.contact.context,
            p.contact.targetGroup ?? null,
          ],
        );
      }
      for (const t of p.tasks) {
        await m.query(
          `INSERT INTO tasks (id, pathway_id, task_key, stage, agency_code, type, title, status, created_at, due_at,
                              assignee, outcome, completed_at, completed_by, cancel_reason, overdue, escalation_level,
                              handover_to, handover_state, acknowledges, version, outcome_note, attempt, outcomes,
                              compressed, cancel_code)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21,
                   $22, $23, $24, $25, $26)
           ON CONFLICT (id) DO UPDATE SET
             agency_code = excluded.agency_code, status = excluded.status, due_at = excluded.due_at,
             assignee = excluded.assignee, outcome = excluded.outcome, completed_at = excluded.completed_at,
             completed_by = excluded.completed_by, cancel_reason = excluded.cancel_reason, overdue = excluded.overdue,
             -- A task cancelled before codes existed carries none in its workflow's state: keep the migration's.
             cancel_code = COALESCE(excluded.cancel_code, tasks.cancel_code),
             escalation_level = excluded.escalation_level, handover_state = excluded.handover_state,
             version = excluded.version, outcome_note = excluded.outcome_note, attempt = excluded.attempt,
             compressed = excluded.compressed
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
            t.overdue ?? false,
            t.escalationLevel ?? 0,
            t.handover?.to ?? null,
            t.handover?.state ?? null,
            t.acknowledges ?? null,
            p.version,
            t.note ?? null,
            t.attempt ?? null,
            t.outcomes ?? null,
            t.compressed ?? false,
            t.cancelCode ?? null,
          ],
        );
      }
      for (const e of p.escalations) {
        await m.query(
          `INSERT INTO escalations (id, pathway_id, task_id, kind, level, agency_code, escalated_to, status, raised_at,
                                    resolved_at, decision, note, version)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
           ON CONFLICT (id) DO UPDATE SET
             status = excluded.status, resolved_at = excluded.resolved_at, decision = excluded.decision,
             note = excluded.note, version = excluded.version
           WHERE escalations.version < excluded.version`,
          [
            e.id,
            p.pathwayId,
            e.taskId ?? null,
            e.kind,
            e.level,
            e.agency,
            e.escalatedTo,
            e.status,
            e.raisedAt,
            e.resolvedAt ?? null,
            e.decision ?? null,
            e.note ?? null,
            p.version,
          ],
        );
      }
      for (const n of p.notifications) {
        // Agencies without a webhook get nothing to deliver, but the row says the message existed.
        // One row per dedup key: a batch written again (an activity retried) delivers nothing twice.
        await m.query(
          `INSERT INTO notifications (id, dedup_key, agency_code, kind, pathway_id, task_id, escalation_id, status)
           SELECT $1, $2, $3, $4, $5, $6, $7,
                  CASE WHEN a.webhook_url IS NULL THEN 'SKIPPED' ELSE 'PENDING' END
             FROM agencies a WHERE a.code = $3
           ON CONFLICT DO NOTHING`,
          [n.id, n.dedupKey ?? n.id, n.agency, n.kind, p.pathwayId, n.taskId ?? null, n.escalationId ?? null],
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
                             closing_outcome, stalled, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, now())
       ON CONFLICT (id) DO UPDATE SET
         stage = excluded.stage, track = excluded.track, district = excluded.district,
         playbook_version = excluded.playbook_version, last_progress_at = excluded.last_progress_at,
         version = excluded.version, consent = excluded.consent, motivated = excluded.motivated,
         expected_release_at = excluded.expected_release_at, stage_entered_at = excluded.stage_entered_at,
         closed_at = excluded.closed_at, closing_outcome = excluded.closing_outcome, stalled = excluded.stalled,
         updated_at = now()
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
        p.stalled,
      ],
    );
  }
}

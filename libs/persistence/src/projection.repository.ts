// Writes the pathway workflow's changes into the read model. Idempotent and order-tolerant: rows carry the
// workflow's version and only a newer version overwrites; timeline entries are inserted once by their id.
import type { DataSource, EntityManager } from 'typeorm';
import type { PathwayProjection } from '../../domain/src';
import type { PersonKeys } from './person-keys';

/** The person's fields sealed under their key (persons.sealed); the plaintext columns stay NULL. */
export interface SealedPerson {
  name: string;
  birthDate: string;
  livesWithParents: boolean | null;
  contactContext: string;
  /** The first contact's target group (TARGET_GROUPS): a category, but about the person, so sealed with the rest. */
  contactTargetGroup?: string | null;
}

export class ProjectionRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly personKeys: PersonKeys,
  ) {}

  /**
   * Writes a batch. `repair` (reconciliation): the batch is the workflow's state as its status query gave it, so it
   * overwrites rows of the same version too, and a row whose version a fault pushed past the workflow's is brought
   * back to it first.
   */
  async apply(p: PathwayProjection, options: { repair?: boolean } = {}): Promise<void> {
    const newer = options.repair ? '<=' : '<';
    // Outside the transaction: making a key is its own idempotent write. Throws for an erased person.
    const key = p.person && p.contact ? await this.personKeys.ensure(p.pathwayId) : undefined;
    await this.dataSource.transaction(async (m) => {
      // An erased person's pathway is statistics only: nothing the workflow still sends is written. Locked, so a
      // write that raced an erasure (ErasureRepository.erase locks the same row) waits for it and then sees it.
      const rows: { erased: boolean }[] = await m.query(
        `SELECT erased_at IS NOT NULL AS erased FROM pathways WHERE id = $1 FOR UPDATE`,
        [p.pathwayId],
      );
      if (rows[0]?.erased) return;
      if (options.repair) {
        await m.query(`UPDATE pathways SET version = LEAST(version, $2) WHERE id = $1`, [p.pathwayId, p.version]);
        await m.query(`UPDATE tasks SET version = LEAST(version, $2) WHERE pathway_id = $1`, [p.pathwayId, p.version]);
      }
      await this.upsertPathway(m, p, newer);
      if (p.person && p.contact && key) {
        const sealed: SealedPerson = {
          name: p.person.name,
          birthDate: p.person.birthDate,
          livesWithParents: p.person.livesWithParents ?? null,
          contactContext: p.contact.context,
          contactTargetGroup: p.contact.targetGroup ?? null,
        };
        await m.query(
          `INSERT INTO persons (pathway_id, contact_source_agency, contact_occurred_at, sealed, key_id)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (pathway_id) DO NOTHING`,
          [p.pathwayId, p.contact.sourceAgency, p.contact.occurredAt, this.personKeys.seal(key, sealed), key.keyId],
        );
      }
      for (const t of p.tasks) {
        await m.query(
          `INSERT INTO tasks (id, pathway_id, task_key, stage, agency_code, type, title, status, created_at, due_at,
                              assignee, outcome, completed_at, completed_by, cancel_reason, overdue, escalation_level,
                              handover_to, handover_state, acknowledges, version, outcome_note, attempt, outcomes,
                              compressed, cancel_code, held_until, hold_reason, hold_note, held_since)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21,
                   $22, $23, $24, $25, $26, $27, $28, $29, $30)
           ON CONFLICT (id) DO UPDATE SET
             agency_code = excluded.agency_code, status = excluded.status, due_at = excluded.due_at,
             assignee = excluded.assignee, outcome = excluded.outcome, completed_at = excluded.completed_at,
             completed_by = excluded.completed_by, cancel_reason = excluded.cancel_reason, overdue = excluded.overdue,
             -- A task cancelled before codes existed carries none in its workflow's state: keep the migration's.
             cancel_code = COALESCE(excluded.cancel_code, tasks.cancel_code),
             escalation_level = excluded.escalation_level, handover_state = excluded.handover_state,
             version = excluded.version, outcome_note = excluded.outcome_note, attempt = excluded.attempt,
             compressed = excluded.compressed, held_until = excluded.held_until,
             hold_reason = excluded.hold_reason, hold_note = excluded.hold_note, held_since = excluded.held_since
           WHERE tasks.version ${newer} excluded.version`,
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
            t.hold?.until ?? null,
            t.hold?.reason ?? null,
            t.hold?.note ?? null,
            t.hold?.since ?? null,
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
           WHERE escalations.version ${newer} excluded.version`,
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

  private async upsertPathway(m: EntityManager, p: PathwayProjection, newer: '<' | '<='): Promise<void> {
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
       WHERE pathways.version ${newer} excluded.version`,
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

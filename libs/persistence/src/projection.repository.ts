// Writes the pathway workflow's changes into the read model. Idempotent and order-tolerant: rows carry the
// workflow's version and only a newer version overwrites; timeline entries are inserted once by their id.
import type { DataSource, EntityManager } from 'typeorm';
import type { PathwayPersonRecord, PathwayProjection, Person } from '../../domain/src';
import type { PersonKey, PersonKeys } from './person-keys';
import { PersonSearchIndex, writePersonTokens } from './person-search';

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
  /**
   * `searchIndex` hashes the person's search terms (person-search.ts) from the plaintext in memory, before it is
   * sealed: the worker's is made with PERSON_SEARCH_KEY.
   */
  constructor(
    private readonly dataSource: DataSource,
    private readonly personKeys: PersonKeys,
    private readonly searchIndex = new PersonSearchIndex(),
  ) {}

  /**
   * Writes a batch. `repair` (reconciliation): the batch is the workflow's state as its status query gave it, so it
   * overwrites rows of the same version too, and a row whose version a fault pushed past the workflow's is brought
   * back to it first.
   */
  async apply(p: PathwayProjection, options: { repair?: boolean } = {}): Promise<void> {
    const newer = options.repair ? '<=' : '<';
    // Outside the transaction: making a key is its own idempotent write. Throws for an erased person.
    const key = (p.person && p.contact) || p.correctedPerson ? await this.personKeys.ensure(p.pathwayId) : undefined;
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
      // A decided priority marks every task of the pathway, open or not (the queues sort on it); only rows that
      // differ are written, so a batch of a prioritized pathway costs one indexed read here.
      if (p.priority)
        await m.query(`UPDATE tasks SET prioritized = $2 WHERE pathway_id = $1 AND prioritized <> $2`, [
          p.pathwayId,
          p.priority === 'HIGH',
        ]);
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
        const indexed: unknown[] = await m.query(
          `SELECT 1 FROM person_search_tokens WHERE pathway_id = $1 AND key_id = $2 LIMIT 1`,
          [p.pathwayId, this.searchIndex.keyId],
        );
        if (indexed.length === 0) await writePersonTokens(m, this.searchIndex, p.pathwayId, p.person);
      }
      // A coordinator's correction of the name or birth date: only over an older row, and the index follows it.
      if (p.correctedPerson && key) await this.correctPerson(m, p.pathwayId, p.version, p.correctedPerson, key);
      // The batch's tasks in one statement (a start has several): the rows as JSON, typed by the table's own row type.
      // One row a task id (the last wins), as a multi-row ON CONFLICT DO UPDATE may touch a row only once.
      const tasks = [...new Map(p.tasks.map((t) => [t.id, t])).values()];
      if (tasks.length > 0) {
        const rows = tasks.map((t) => ({
          id: t.id,
          pathway_id: p.pathwayId,
          task_key: t.key,
          stage: t.stage,
          agency_code: t.agency,
          type: t.type,
          title: t.title,
          status: t.status,
          created_at: t.createdAt,
          due_at: t.dueAt,
          assignee: t.assignee ?? null,
          outcome: t.outcome ?? null,
          completed_at: t.completedAt ?? null,
          completed_by: t.completedBy ?? null,
          cancel_reason: t.cancelReason ?? null,
          overdue: t.overdue ?? false,
          escalation_level: t.escalationLevel ?? 0,
          handover_to: t.handover?.to ?? null,
          handover_state: t.handover?.state ?? null,
          acknowledges: t.acknowledges ?? null,
          version: p.version,
          outcome_note: t.note ?? null,
          attempt: t.attempt ?? null,
          outcomes: t.outcomes ?? null,
          compressed: t.compressed ?? false,
          cancel_code: t.cancelCode ?? null,
          held_until: t.hold?.until ?? null,
          hold_reason: t.hold?.reason ?? null,
          hold_note: t.hold?.note ?? null,
          held_since: t.hold?.since ?? null,
          prioritized: p.priority === 'HIGH',
        }));
        const columns = Object.keys(rows[0]).join(', ');
        await m.query(
          `INSERT INTO tasks (${columns})
           SELECT ${columns} FROM jsonb_populate_recordset(NULL::tasks, $1::jsonb)
           ON CONFLICT (id) DO UPDATE SET
             agency_code = excluded.agency_code, status = excluded.status, due_at = excluded.due_at,
             assignee = excluded.assignee, outcome = excluded.outcome, completed_at = excluded.completed_at,
             completed_by = excluded.completed_by, cancel_reason = excluded.cancel_reason, overdue = excluded.overdue,
             -- A task cancelled before codes existed carries none in its workflow's state: keep the migration's.
             cancel_code = COALESCE(excluded.cancel_code, tasks.cancel_code),
             escalation_level = excluded.escalation_level, handover_state = excluded.handover_state,
             version = excluded.version, outcome_note = excluded.outcome_note, attempt = excluded.attempt,
             compressed = excluded.compressed, held_until = excluded.held_until,
             hold_reason = excluded.hold_reason, hold_note = excluded.hold_note, held_since = excluded.held_since,
             prioritized = excluded.prioritized
           WHERE tasks.version ${newer} excluded.version`,
          [JSON.stringify(rows)],
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
      // The batch's notifications and timeline entries in one statement each (a start has several of both): one
      // round trip instead of one a row (docs/PERFORMANCE.md, "What bounds a start").
      if (p.notifications.length > 0) {
        const ns = p.notifications;
        // Agencies without a webhook get nothing to deliver, but the row says the message existed.
        // One row per dedup key: a batch written again (an activity retried) delivers nothing twice.
        await m.query(
          `INSERT INTO notifications (id, dedup_key, agency_code, kind, pathway_id, task_id, escalation_id, status)
           SELECT n.id, n.dedup_key, n.agency_code, n.kind, $5, n.task_id, n.escalation_id,
                  CASE WHEN a.webhook_url IS NULL THEN 'SKIPPED' ELSE 'PENDING' END
             FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $6::uuid[], $7::text[])
                  AS n (id, dedup_key, agency_code, kind, task_id, escalation_id)
             JOIN agencies a ON a.code = n.agency_code
           ON CONFLICT DO NOTHING`,
          [
            ns.map((n) => n.id),
            ns.map((n) => n.dedupKey ?? n.id),
            ns.map((n) => n.agency),
            ns.map((n) => n.kind),
            p.pathwayId,
            ns.map((n) => n.taskId ?? null),
            ns.map((n) => n.escalationId ?? null),
          ],
        );
      }
      if (p.timeline.length > 0) {
        const es = p.timeline;
        await m.query(
          `INSERT INTO timeline_entries (id, pathway_id, sequence, at, kind, agency_code, task_id, detail)
           SELECT e.id, $2, e.sequence, e.at, e.kind, e.agency_code, e.task_id, e.detail
             FROM unnest($1::text[], $3::integer[], $4::timestamptz[], $5::text[], $6::text[], $7::uuid[], $8::jsonb[])
                  AS e (id, sequence, at, kind, agency_code, task_id, detail)
           ON CONFLICT (id) DO NOTHING`,
          [
            es.map((e) => e.id),
            p.pathwayId,
            es.map((e) => e.sequence),
            es.map((e) => e.at),
            es.map((e) => e.kind),
            es.map((e) => e.agency ?? null),
            es.map((e) => e.taskId ?? null),
            // jsonb[]: each element the entry's detail as JSON text.
            es.map((e) => JSON.stringify(e.detail)),
          ],
        );
      }
    });
  }

  /**
   * Reconciliation's repair of the person (activities/reconcile.activities.ts): the person row written again from the
   * workflow's record, sealed under the person's key (plaintext columns emptied), and the search tokens remade. Not
   * for an erased person: nothing is written (and their destroyed key is not made again). `version` is the pathway's,
   * so a correction the workflow makes after it still applies.
   */
  async repairPerson(pathwayId: string, record: PathwayPersonRecord, version: number): Promise<boolean> {
    const erased: { erased: boolean }[] = await this.dataSource.query(
      `SELECT erased_at IS NOT NULL AS erased FROM pathways WHERE id = $1`,
      [pathwayId],
    );
    if (!erased[0] || erased[0].erased) return false;
    const key = await this.personKeys.ensure(pathwayId);
    return this.dataSource.transaction(async (m) => {
      // Under the lock the projection and erasure take: an erasure in between wins.
      const rows: { erased: boolean }[] = await m.query(
        `SELECT erased_at IS NOT NULL AS erased FROM pathways WHERE id = $1 FOR UPDATE`,
        [pathwayId],
      );
      if (!rows[0] || rows[0].erased) return false;
      const { person, contact } = record;
      const sealed: SealedPerson = {
        name: person.name,
        birthDate: person.birthDate,
        livesWithParents: person.livesWithParents ?? null,
        contactContext: contact.context,
        contactTargetGroup: contact.targetGroup ?? null,
      };
      await m.query(
        `INSERT INTO persons (pathway_id, contact_source_agency, contact_occurred_at, sealed, key_id, version)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (pathway_id) DO UPDATE SET
           sealed = excluded.sealed, key_id = excluded.key_id, version = GREATEST(persons.version, excluded.version),
           contact_source_agency = excluded.contact_source_agency, contact_occurred_at = excluded.contact_occurred_at,
           name = NULL, birth_date = NULL, lives_with_parents = NULL, contact_context = NULL,
           contact_target_group = NULL`,
        [pathwayId, contact.sourceAgency, contact.occurredAt, this.personKeys.seal(key, sealed), key.keyId, version],
      );
      await writePersonTokens(m, this.searchIndex, pathwayId, person);
      return true;
    });
  }

  /** The index the person's search tokens are made with (reconciliation compares them). */
  get personSearchIndex(): PersonSearchIndex {
    return this.searchIndex;
  }

  /** The person keys the sealed person rows are opened with. */
  get keys(): PersonKeys {
    return this.personKeys;
  }

  /**
   * Writes a coordinator's correction of the person (name, birth date, lives with parents) over an older row: the
   * row's sealed fields are opened, changed and sealed again under the person's key (the others kept as they were),
   * and the search tokens remade from the corrected plaintext. A row from before the keys (plaintext columns) is
   * sealed now, its columns emptied.
   */
  private async correctPerson(
    m: EntityManager,
    pathwayId: string,
    version: number,
    person: Person,
    key: PersonKey,
  ): Promise<void> {
    const rows: {
      name: string | null;
      birth_date: string | null;
      lives_with_parents: boolean | null;
      contact_context: string | null;
      contact_target_group: string | null;
      sealed: Buffer | null;
      key_id: string | null;
    }[] = await m.query(
      `SELECT name, to_char(birth_date, 'YYYY-MM-DD') AS birth_date, lives_with_parents, contact_context,
              contact_target_group, sealed, key_id::text AS key_id
         FROM persons WHERE pathway_id = $1 AND version < $2`,
      [pathwayId, version],
    );
    const row = rows[0];
    if (!row) return;
    const before =
      row.sealed && row.key_id ? await this.personKeys.open<SealedPerson>(row.key_id, row.sealed) : undefined;
    const sealed: SealedPerson = {
      name: person.name,
      birthDate: person.birthDate,
      livesWithParents: person.livesWithParents ?? before?.livesWithParents ?? row.lives_with_parents ?? null,
      contactContext: before?.contactContext ?? row.contact_context ?? '',
      contactTargetGroup: before?.contactTargetGroup ?? row.contact_target_group ?? null,
    };
    await m.query(
      `UPDATE persons SET sealed = $2, key_id = $3, version = $4, name = NULL, birth_date = NULL,
                          lives_with_parents = NULL, contact_context = NULL, contact_target_group = NULL
        WHERE pathway_id = $1 AND version < $4`,
      [pathwayId, this.personKeys.seal(key, sealed), key.keyId, version],
    );
    await writePersonTokens(m, this.searchIndex, pathwayId, person);
  }

  private async upsertPathway(m: EntityManager, p: PathwayProjection, newer: '<' | '<='): Promise<void> {
    await m.query(
      `INSERT INTO pathways (id, workflow_id, stage, track, district, playbook_version, opened_at, last_progress_at,
                             version, consent, motivated, expected_release_at, stage_entered_at, closed_at,
                             closing_outcome, stalled, priority, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, COALESCE($17, 'NORMAL'), now())
       ON CONFLICT (id) DO UPDATE SET
         stage = excluded.stage, track = excluded.track, district = excluded.district,
         playbook_version = excluded.playbook_version, last_progress_at = excluded.last_progress_at,
         version = excluded.version, consent = excluded.consent, motivated = excluded.motivated,
         expected_release_at = excluded.expected_release_at, stage_entered_at = excluded.stage_entered_at,
         closed_at = excluded.closed_at, closing_outcome = excluded.closing_outcome, stalled = excluded.stalled,
         priority = COALESCE($17, pathways.priority), updated_at = now()
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
        p.priority ?? null,
      ],
    );
  }
}

// What reconciliation (activities/reconcile.activities.ts) reads of the read model to compare it with each open
// pathway's workflow, and the record of its runs (migrations/1765670000000-ReconciliationRuns.ts).
import type { DataSource } from 'typeorm';

/** The read model's pathway row as reconciliation compares it. */
export interface ReconciledPathwayRow {
  id: string;
  stage: string;
  track: string | null;
  district: string;
  consent: boolean;
  motivated: boolean | null;
  playbookVersion: number;
  stalled: boolean;
  /** NORMAL or HIGH (the meeting's CHANGE_PRIORITY). */
  priority: string;
  version: number;
  openedAt: Date;
  stageEnteredAt: Date;
  lastProgressAt: Date;
  expectedReleaseAt: Date | null;
  /** The person was erased: nothing about them is compared or written again. */
  erased: boolean;
}

/** The read model's person row as reconciliation reads it: sealed fields, or (rows from before the keys) plaintext. */
export interface ReconciledPersonRow {
  name: string | null;
  birthDate: string | null;
  livesWithParents: boolean | null;
  contactContext: string | null;
  contactTargetGroup: string | null;
  contactSourceAgency: string;
  contactOccurredAt: Date;
  sealed: Buffer | null;
  keyId: string | null;
}

/** A task row as reconciliation compares it. */
export interface ReconciledTaskRow {
  id: string;
  pathwayId: string;
  status: string;
  agency: string;
  assignee: string | null;
  dueAt: Date;
}

export interface ReconciliationRun {
  trigger: 'SCHEDULE' | 'ADMIN';
  startedAt: Date;
  checked: number;
  drifted: number;
  repaired: number;
  missing: number;
  unreachable: number;
}

export class ReconciliationRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Open pathways (not closed), in id order, `limit` after `after`; or the one pathway `only`. */
  async openPathways(after: string | undefined, limit: number, only?: string): Promise<ReconciledPathwayRow[]> {
    return this.dataSource.query(
      `SELECT id, stage, track, district, consent, motivated, playbook_version AS "playbookVersion", stalled,
              priority, version::int AS version, opened_at AS "openedAt", stage_entered_at AS "stageEnteredAt",
              last_progress_at AS "lastProgressAt", expected_release_at AS "expectedReleaseAt",
              erased_at IS NOT NULL AS erased
         FROM pathways
        WHERE closed_at IS NULL AND ($1::uuid IS NULL OR id > $1::uuid) AND ($3::uuid IS NULL OR id = $3::uuid)
        ORDER BY id
        LIMIT $2`,
      [after ?? null, limit, only ?? null],
    );
  }

  async tasksOf(pathwayIds: string[]): Promise<ReconciledTaskRow[]> {
    if (pathwayIds.length === 0) return [];
    return this.dataSource.query(
      `SELECT id, pathway_id AS "pathwayId", status, agency_code AS agency, assignee, due_at AS "dueAt"
         FROM tasks WHERE pathway_id = ANY($1::uuid[])`,
      [pathwayIds],
    );
  }

  /** The pathway's person row, undefined when there is none. */
  async personOf(pathwayId: string): Promise<ReconciledPersonRow | undefined> {
    const rows: ReconciledPersonRow[] = await this.dataSource.query(
      `SELECT name, to_char(birth_date, 'YYYY-MM-DD') AS "birthDate", lives_with_parents AS "livesWithParents",
              contact_context AS "contactContext", contact_target_group AS "contactTargetGroup",
              contact_source_agency AS "contactSourceAgency", contact_occurred_at AS "contactOccurredAt",
              sealed, key_id::text AS "keyId"
         FROM persons WHERE pathway_id = $1`,
      [pathwayId],
    );
    return rows[0];
  }

  /** The pathway's search tokens under the index key `keyId`. */
  async searchTokensOf(pathwayId: string, keyId: string): Promise<string[]> {
    const rows: { token: string }[] = await this.dataSource.query(
      `SELECT token FROM person_search_tokens WHERE pathway_id = $1 AND key_id = $2 ORDER BY token`,
      [pathwayId, keyId],
    );
    return rows.map((r) => r.token);
  }

  /** Which of these pathway ids have a read-model row. */
  async known(pathwayIds: string[]): Promise<Set<string>> {
    if (pathwayIds.length === 0) return new Set();
    const rows: { id: string }[] = await this.dataSource.query(`SELECT id FROM pathways WHERE id = ANY($1::uuid[])`, [
      pathwayIds,
    ]);
    return new Set(rows.map((r) => r.id));
  }

  /** Task rows the workflow does not know (a fault's leftovers): the workflow is the truth, so they go. */
  async deleteTasks(pathwayId: string, keep: string[]): Promise<number> {
    const [, count]: [unknown, number] = await this.dataSource.query(
      `DELETE FROM tasks WHERE pathway_id = $1 AND NOT (id = ANY($2::uuid[]))`,
      [pathwayId, keep],
    );
    return count;
  }

  async recordRun(run: ReconciliationRun): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO reconciliation_runs (trigger, started_at, checked, drifted, repaired, missing, unreachable)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [run.trigger, run.startedAt, run.checked, run.drifted, run.repaired, run.missing, run.unreachable],
    );
  }
}

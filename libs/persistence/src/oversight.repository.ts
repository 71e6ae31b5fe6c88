// Aggregates for managers and the steering groups: counts, shares and durations computed in PostgreSQL on the indexes
// of migration 1764662400000-Oversight. Reads pathways and tasks only, never persons: no statement here joins a
// table that holds a name. Months and quarters are Copenhagen's calendar.
import type { DataSource } from 'typeorm';

export const REPORT_TIME_ZONE = 'Europe/Copenhagen';

const DAY_SECONDS = 86400;
const HOUR_SECONDS = 3600;

export interface StageRow {
  stage: string;
  open: number;
  /** Days in the current stage: median and longest. */
  medianDays: number;
  maxDays: number;
}

export interface SlaRow {
  /** YYYY-MM; agency and taskType are null in the month's total row. */
  month: string;
  agency: string | null;
  taskType: string | null;
  done: number;
  /** Distinct pathways (people) behind the row. */
  people: number;
  onTime: number;
  /** Median hours past the deadline of the tasks done late; null when none was late. */
  medianLateHours: number | null;
  /** Tasks whose claim is known (claimed before being done). */
  claimed: number;
  /** Median hours from creation to first claim, and from first claim to done. */
  medianQueueHours: number | null;
  medianWorkHours: number | null;
}

export interface OpenWorkRow {
  agency: string;
  /** Open and not claimed by anyone. */
  unassigned: number;
  claimed: number;
  overdue: number;
  dueSoon: number;
  /** Distinct people with claimed tasks. */
  assignees: number;
  /** Days since the oldest open task was created; null without open work. */
  oldestOpenDays: number | null;
}

export interface PersonCapacityRow {
  userId: string;
  displayName: string;
  claimed: number;
  overdue: number;
  lastSeenAt: Date | null;
  lastActionAt: Date | null;
  absent: boolean;
}

export interface AgencyCapacity {
  unassigned: number;
  people: PersonCapacityRow[];
}

export interface StalledRow {
  stage: string;
  stalled: number;
  medianDays: number;
  maxDays: number;
  /** Stalled for < 30, 30-59, 60-89 and >= 90 days since the last progress. */
  under30: number;
  from30to59: number;
  from60to89: number;
  over90: number;
}

export interface QuarterRow {
  /** YYYY-Qn */
  quarter: string;
  started: number;
  /** Closed in the quarter, by closing outcome. */
  closed: Record<string, number>;
}

export interface GoalActualRow {
  taskType: string;
  /** Distinct pathways (people) with a task of the type done in the year. */
  people: number;
  tasks: number;
}

export interface ActivityGoalRow {
  year: number;
  taskType: string;
  label: string;
  target: number;
  setBy: string;
  setAt: string;
}

export interface ExternalFigureRow {
  year: number;
  code: string;
  label: string;
  value: number;
  unit: string | null;
  source: string;
  enteredBy: string;
  enteredAt: string;
}

/** The part of pg's pool this repository uses for a statement with its own time limit. */
interface PgPool {
  connect(): Promise<{
    query(q: string | { text: string; values: unknown[]; query_timeout: number }): Promise<{
      rows: Record<string, unknown>[];
    }>;
    release(): void;
  }>;
}

const int = (v: unknown): number => Number(v ?? 0);
const orNull = (v: unknown, divisor: number): number | null =>
  v === null || v === undefined ? null : round1(Number(v) / divisor);
const round1 = (n: number): number => Math.round(n * 10) / 10;

/** The first instant of a Copenhagen calendar month given as YYYY-MM, as SQL. */
const MONTH_START = (param: string) => `(${param} || '-01')::timestamp AT TIME ZONE '${REPORT_TIME_ZONE}'`;

export class OversightRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Open pathways per stage, with how long they have been in it (index-only on pathways_open_stage_idx). */
  async stages(at: Date): Promise<StageRow[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT stage, count(*) AS open,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM $1::timestamptz - stage_entered_at)) AS median_s,
              max(extract(epoch FROM $1::timestamptz - stage_entered_at)) AS max_s
         FROM pathways WHERE stage <> 'CLOSED' GROUP BY stage`,
      [at.toISOString()],
    );
    return rows.map((r) => ({
      stage: String(r.stage),
      open: int(r.open),
      medianDays: orNull(r.median_s, DAY_SECONDS) ?? 0,
      maxDays: orNull(r.max_s, DAY_SECONDS) ?? 0,
    }));
  }

  /**
   * SLA compliance of the tasks done in the months `from`..`to` (YYYY-MM, inclusive): per month, agency and task type,
   * and per month in total. Done on time = completed at or before the (last) deadline. Served from
   * sla_month_figures; a month missing there, or the running month once its figures are 5 minutes old, is computed
   * first, one month per statement.
   */
  async sla(from: string, to: string, at: Date = new Date()): Promise<SlaRow[]> {
    const stale: { month: string }[] = await this.dataSource.query(
      `SELECT to_char(m, 'YYYY-MM') AS month
         FROM generate_series(($1 || '-01')::date, ($2 || '-01')::date, interval '1 month') m
         LEFT JOIN sla_month_figures f ON f.month = to_char(m, 'YYYY-MM') AND f.agency_code = '' AND f.type = ''
        WHERE f.month IS NULL
           OR (f.computed_at < (m + interval '1 month' + interval '1 day')::timestamp AT TIME ZONE '${REPORT_TIME_ZONE}'
               AND f.computed_at < $3::timestamptz - interval '5 minutes')`,
      [from, to, at.toISOString()],
    );
    for (const { month } of stale) await this.computeSlaMonth(month);
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT month, nullif(agency_code, '') AS agency_code, nullif(type, '') AS type, done, people, on_time, late_s,
              claimed, queue_s, work_s
         FROM sla_month_figures WHERE month >= $1 AND month <= $2
        ORDER BY month, agency_code, type`,
      [from, to],
    );
    return rows.map((r) => ({
      month: String(r.month),
      agency: (r.agency_code as string | null) ?? null,
      taskType: (r.type as string | null) ?? null,
      done: int(r.done),
      people: int(r.people),
      onTime: int(r.on_time),
      medianLateHours: orNull(r.late_s, HOUR_SECONDS),
      claimed: int(r.claimed),
      medianQueueHours: orNull(r.queue_s, HOUR_SECONDS),
      medianWorkHours: orNull(r.work_s, HOUR_SECONDS),
    }));
  }

  /**
   * Recomputes one month's SLA figures now, whatever their age (a forced recompute of a past month): the month's rows
   * are replaced in one transaction, so a combination that has no done task any more disappears too.
   */
  async recomputeSlaMonth(month: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await m.query(`DELETE FROM sla_month_figures WHERE month = $1`, [month]);
      await this.computeSlaMonth(month, m);
    });
  }

  /** One month's SLA figures into sla_month_figures; the total row is written even for a month without tasks. */
  private async computeSlaMonth(month: string, runner: Pick<DataSource, 'query'> = this.dataSource): Promise<void> {
    await runner.query(
      `INSERT INTO sla_month_figures (month, agency_code, type, done, people, on_time, late_s, claimed, queue_s, work_s,
                                      computed_at)
       SELECT $1, coalesce(agency_code, ''), coalesce(type, ''), count(*), count(DISTINCT pathway_id),
              count(*) FILTER (WHERE completed_at <= due_at),
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM completed_at - due_at))
                FILTER (WHERE completed_at > due_at),
              count(first_claimed_at),
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_claimed_at - created_at)),
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM completed_at - first_claimed_at)),
              now()
         FROM tasks
        WHERE status = 'DONE'
          AND completed_at >= ${MONTH_START('$1')}
          AND completed_at < ${MONTH_START('$1')} + interval '1 month'
        GROUP BY GROUPING SETS ((agency_code, type), ())
       ON CONFLICT (month, agency_code, type) DO UPDATE SET
         done = excluded.done, people = excluded.people, on_time = excluded.on_time, late_s = excluded.late_s,
         claimed = excluded.claimed, queue_s = excluded.queue_s, work_s = excluded.work_s,
         computed_at = excluded.computed_at`,
      [month],
    );
  }

  /**
   * A statement that reads a whole year of tasks (the yearly report), on a connection of its own with a longer limit
   * than the API's per-statement one (DB_STATEMENT_TIMEOUT_MS), which is made for the interactive reads.
   */
  private async longQuery(text: string, values: unknown[], timeoutMs = 60_000): Promise<Record<string, unknown>[]> {
    const pool = (this.dataSource.driver as unknown as { master: PgPool }).master;
    const client = await pool.connect();
    try {
      await client.query('BEGIN READ ONLY');
      await client.query(`SET LOCAL statement_timeout = ${Math.floor(timeoutMs)}`);
      const result = await client.query({ text, values, query_timeout: timeoutMs + 1_000 });
      await client.query('COMMIT');
      return result.rows;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  /**
   * SLA compliance of the tasks done in a calendar year, per agency, per month and in all, with the distinct people
   * behind each figure for small-number suppression.
   */
  async slaYear(year: number): Promise<(SlaRow & { by: 'agency' | 'month' | 'total' })[]> {
    const rows = await this.longQuery(
      `WITH done AS (
         SELECT to_char(completed_at AT TIME ZONE '${REPORT_TIME_ZONE}', 'YYYY-MM') AS month, agency_code, pathway_id,
                completed_at <= due_at AS on_time, extract(epoch FROM completed_at - due_at) AS late_s,
                extract(epoch FROM first_claimed_at - created_at) AS queue_s,
                extract(epoch FROM completed_at - first_claimed_at) AS work_s
           FROM tasks
          WHERE status = 'DONE'
            AND completed_at >= $1::timestamp AT TIME ZONE '${REPORT_TIME_ZONE}'
            AND completed_at < $2::timestamp AT TIME ZONE '${REPORT_TIME_ZONE}')
       SELECT month, agency_code, GROUPING(agency_code) AS all_agencies, GROUPING(month) AS all_months,
              count(*) AS done, count(DISTINCT pathway_id) AS people,
              count(*) FILTER (WHERE on_time) AS on_time,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY late_s) FILTER (WHERE NOT on_time) AS late_s,
              count(queue_s) AS claimed,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY queue_s) AS queue_s,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY work_s) AS work_s
         FROM done
        GROUP BY GROUPING SETS ((agency_code), (month), ())`,
      [`${year}-01-01`, `${year + 1}-01-01`],
    );
    return rows.map((r) => ({
      by:
        int(r.all_agencies) === 0
          ? ('agency' as const)
          : int(r.all_months) === 0
            ? ('month' as const)
            : ('total' as const),
      month: (r.month as string | null) ?? '',
      agency: (r.agency_code as string | null) ?? null,
      taskType: null,
      done: int(r.done),
      people: int(r.people),
      onTime: int(r.on_time),
      medianLateHours: orNull(r.late_s, HOUR_SECONDS),
      claimed: int(r.claimed),
      medianQueueHours: orNull(r.queue_s, HOUR_SECONDS),
      medianWorkHours: orNull(r.work_s, HOUR_SECONDS),
    }));
  }

  /** Open work of every active agency (an agency without any has a row of zeros): deadlines, claims, assignees. */
  async openWork(at: Date, soonDays: number): Promise<OpenWorkRow[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT a.code,
              count(t.status) FILTER (WHERE t.status = 'OPEN') AS unassigned,
              count(t.status) FILTER (WHERE t.status = 'CLAIMED') AS claimed,
              count(t.status) FILTER (WHERE t.due_at < $1::timestamptz) AS overdue,
              count(t.status) FILTER (WHERE t.due_at >= $1::timestamptz
                                        AND t.due_at < $1::timestamptz + make_interval(days => $2)) AS due_soon,
              count(DISTINCT t.assignee) FILTER (WHERE t.status = 'CLAIMED') AS assignees,
              extract(epoch FROM $1::timestamptz - min(t.created_at)) AS oldest_s
         FROM agencies a
         LEFT JOIN tasks t ON t.agency_code = a.code AND t.status IN ('OPEN', 'CLAIMED')
        WHERE a.active
        GROUP BY a.code ORDER BY a.code`,
      [at.toISOString(), soonDays],
    );
    return rows.map((r) => ({
      agency: String(r.code),
      unassigned: int(r.unassigned),
      claimed: int(r.claimed),
      overdue: int(r.overdue),
      dueSoon: int(r.due_soon),
      assignees: int(r.assignees),
      oldestOpenDays: orNull(r.oldest_s, DAY_SECONDS),
    }));
  }

  /**
   * Claimed work whose assignee has taken no action for `days` days, per agency: the assignee's last action is the
   * later of their last request to the API (users.last_seen_at, written at every sign-in and call) and their latest
   * claim among the tasks they hold; an assignee never seen and without a recorded claim counts from the task's
   * creation. Agencies without such work are absent. Counts tasks and people, never a name.
   */
  async absentWork(at: Date, days: number): Promise<{ agency: string; tasks: number; assignees: number }[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `WITH held AS (
         SELECT t.agency_code, t.assignee, t.created_at,
                max(t.first_claimed_at) OVER (PARTITION BY t.assignee) AS last_claim
           FROM tasks t
          WHERE t.status = 'CLAIMED' AND t.assignee IS NOT NULL)
       SELECT h.agency_code AS agency, count(*) AS tasks, count(DISTINCT h.assignee) AS assignees
         FROM held h LEFT JOIN users u ON u.user_id = h.assignee
        WHERE coalesce(greatest(u.last_seen_at, h.last_claim), h.created_at)
              < $1::timestamptz - make_interval(days => $2)
        GROUP BY h.agency_code`,
      [at.toISOString(), days],
    );
    return rows.map((r) => ({ agency: String(r.agency), tasks: int(r.tasks), assignees: int(r.assignees) }));
  }

  /**
   * An agency's people for its team lead (issue 12, "Kapacitet"): everyone holding a claimed task of the agency, and
   * every known user of the agency (the users table) also without any. Per person: the claimed tasks, those past their
   * deadline, when the API last saw them, and their last action as `absentWork` defines it (the later of the last
   * request and the latest claim among all tasks they hold; never seen and no recorded claim: the newest of their
   * tasks' creation); absent when that is `days` days before `at` or earlier. Plus the agency's open, unclaimed tasks.
   * Counts and the staff's own names; never a citizen or a pathway.
   */
  async capacity(agency: string, at: Date, days: number): Promise<AgencyCapacity> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `WITH held AS (
         SELECT t.agency_code, t.assignee, t.created_at, t.due_at,
                max(t.first_claimed_at) OVER (PARTITION BY t.assignee) AS last_claim
           FROM tasks t
          WHERE t.status = 'CLAIMED' AND t.assignee IS NOT NULL),
       mine AS (
         SELECT assignee AS user_id, count(*) AS claimed, count(*) FILTER (WHERE due_at < $2::timestamptz) AS overdue,
                max(last_claim) AS last_claim, max(created_at) AS newest
           FROM held WHERE agency_code = $1 GROUP BY assignee),
       people AS (SELECT user_id FROM mine UNION SELECT user_id FROM users WHERE agency_code = $1),
       person AS (
         SELECT p.user_id, coalesce(u.display_name, p.user_id) AS display_name, u.last_seen_at,
                coalesce(m.claimed, 0) AS claimed, coalesce(m.overdue, 0) AS overdue,
                coalesce(greatest(u.last_seen_at, m.last_claim), m.newest) AS last_action
           FROM people p LEFT JOIN mine m ON m.user_id = p.user_id LEFT JOIN users u ON u.user_id = p.user_id)
       SELECT user_id, display_name, claimed, overdue,
              last_seen_at, last_action,
              coalesce(last_action < $2::timestamptz - make_interval(days => $3), true) AS absent
         FROM person ORDER BY display_name, user_id`,
      [agency, at.toISOString(), days],
    );
    const open: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT count(*) AS n FROM tasks WHERE agency_code = $1 AND status = 'OPEN'`,
      [agency],
    );
    return {
      unassigned: int(open[0]?.n),
      people: rows.map((r) => ({
        userId: String(r.user_id),
        displayName: String(r.display_name),
        claimed: int(r.claimed),
        overdue: int(r.overdue),
        lastSeenAt: r.last_seen_at instanceof Date ? r.last_seen_at : null,
        lastActionAt: r.last_action instanceof Date ? r.last_action : null,
        absent: r.absent === true,
      })),
    };
  }

  /** Stalled pathways per stage and for how long (since the last progress). */
  async stalled(at: Date): Promise<StalledRow[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `WITH s AS (SELECT stage, extract(epoch FROM $1::timestamptz - last_progress_at) AS s FROM pathways WHERE stalled)
       SELECT stage, count(*) AS stalled,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY s) AS median_s, max(s) AS max_s,
              count(*) FILTER (WHERE s < 30 * ${DAY_SECONDS}) AS under30,
              count(*) FILTER (WHERE s >= 30 * ${DAY_SECONDS} AND s < 60 * ${DAY_SECONDS}) AS from30,
              count(*) FILTER (WHERE s >= 60 * ${DAY_SECONDS} AND s < 90 * ${DAY_SECONDS}) AS from60,
              count(*) FILTER (WHERE s >= 90 * ${DAY_SECONDS}) AS over90
         FROM s GROUP BY stage`,
      [at.toISOString()],
    );
    return rows.map((r) => ({
      stage: String(r.stage),
      stalled: int(r.stalled),
      medianDays: orNull(r.median_s, DAY_SECONDS) ?? 0,
      maxDays: orNull(r.max_s, DAY_SECONDS) ?? 0,
      under30: int(r.under30),
      from30to59: int(r.from30),
      from60to89: int(r.from60),
      over90: int(r.over90),
    }));
  }

  /** Pathways started and closed (by outcome) per quarter of the years `from`..`to`; quarters without any are absent. */
  async quarters(fromYear: number, toYear: number): Promise<{ started: QuarterCount[]; closed: QuarterOutcome[] }> {
    const range = [`${fromYear}-01-01`, `${toYear + 1}-01-01`];
    const started: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT to_char(opened_at AT TIME ZONE '${REPORT_TIME_ZONE}', 'YYYY-"Q"Q') AS quarter, count(*) AS n
         FROM pathways
        WHERE opened_at >= $1::timestamp AT TIME ZONE '${REPORT_TIME_ZONE}'
          AND opened_at < $2::timestamp AT TIME ZONE '${REPORT_TIME_ZONE}'
        GROUP BY 1`,
      range,
    );
    const closed: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT to_char(closed_at AT TIME ZONE '${REPORT_TIME_ZONE}', 'YYYY-"Q"Q') AS quarter,
              coalesce(closing_outcome, 'OTHER') AS outcome, count(*) AS n
         FROM pathways
        WHERE closed_at >= $1::timestamp AT TIME ZONE '${REPORT_TIME_ZONE}'
          AND closed_at < $2::timestamp AT TIME ZONE '${REPORT_TIME_ZONE}'
        GROUP BY 1, 2`,
      range,
    );
    return {
      started: started.map((r) => ({ quarter: String(r.quarter), n: int(r.n) })),
      closed: closed.map((r) => ({ quarter: String(r.quarter), outcome: String(r.outcome), n: int(r.n) })),
    };
  }

  /** Per task type: done tasks in the calendar year and the distinct people behind them. */
  async doneInYear(year: number, taskTypes: readonly string[]): Promise<GoalActualRow[]> {
    if (taskTypes.length === 0) return [];
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT type, count(*) AS tasks, count(DISTINCT pathway_id) AS people
         FROM tasks
        WHERE status = 'DONE' AND type = ANY($3::text[])
          AND completed_at >= $1::timestamp AT TIME ZONE '${REPORT_TIME_ZONE}'
          AND completed_at < $2::timestamp AT TIME ZONE '${REPORT_TIME_ZONE}'
        GROUP BY type`,
      [`${year}-01-01`, `${year + 1}-01-01`, taskTypes],
    );
    return rows.map((r) => ({ taskType: String(r.type), tasks: int(r.tasks), people: int(r.people) }));
  }

  async goals(year: number): Promise<ActivityGoalRow[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT year, task_type, label, target, set_by,
              to_char(set_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS set_at
         FROM activity_goals WHERE year = $1 ORDER BY task_type`,
      [year],
    );
    return rows.map((r) => ({
      year: int(r.year),
      taskType: String(r.task_type),
      label: String(r.label),
      target: int(r.target),
      setBy: String(r.set_by),
      setAt: String(r.set_at),
    }));
  }

  /** Replaces the year's goals with `goals` in one transaction: a repeated request leaves the same table. */
  async setGoals(
    year: number,
    goals: readonly { taskType: string; label: string; target: number }[],
    setBy: string,
  ): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await m.query(`DELETE FROM activity_goals WHERE year = $1`, [year]);
      for (const g of goals) {
        await m.query(
          `INSERT INTO activity_goals (year, task_type, label, target, set_by) VALUES ($1, $2, $3, $4, $5)`,
          [year, g.taskType, g.label, g.target, setBy],
        );
      }
    });
  }

  async figures(year: number): Promise<ExternalFigureRow[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT year, code, label, value::text AS value, unit, source, entered_by,
              to_char(entered_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS entered_at
         FROM external_figures WHERE year = $1 ORDER BY code`,
      [year],
    );
    return rows.map((r) => ({
      year: int(r.year),
      code: String(r.code),
      label: String(r.label),
      value: Number(r.value),
      unit: (r.unit as string | null) ?? null,
      source: String(r.source),
      enteredBy: String(r.entered_by),
      enteredAt: String(r.entered_at),
    }));
  }

  /** Replaces the year's external figures, as setGoals does its goals. */
  async setFigures(
    year: number,
    figures: readonly { code: string; label: string; value: number; unit?: string; source: string }[],
    enteredBy: string,
  ): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await m.query(`DELETE FROM external_figures WHERE year = $1`, [year]);
      for (const f of figures) {
        await m.query(
          `INSERT INTO external_figures (year, code, label, value, unit, source, entered_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [year, f.code, f.label, f.value, f.unit ?? null, f.source, enteredBy],
        );
      }
    });
  }
}

export interface QuarterCount {
  quarter: string;
  n: number;
}

export interface QuarterOutcome {
  quarter: string;
  outcome: string;
  n: number;
}

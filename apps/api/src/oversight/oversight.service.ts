// The managers' and steering groups' overview: aggregates read from PostgreSQL (libs/persistence/src/
// oversight.repository.ts), never a person. Each answer is written to the audit log as STATISTICS, with no pathway:
// the figures are not a read of anyone's personal data, and counting is no longer done by reading people one by one.
import { Inject, Injectable } from '@nestjs/common';
import {
  CLOSING_OUTCOMES,
  DEFAULT_SUPPRESSION_THRESHOLD,
  STAGES,
  oversees,
  type Actor,
  type SuppressionThreshold,
} from '../../../../libs/domain/src';
import { OversightRepository, type SlaRow } from '../../../../libs/persistence/src';
import type { ApiConfig } from '../config';
import { AuditTrail } from '../core/audit-trail';
import { API_CONFIG } from '../core/tokens';
import { badRequest } from '../core/validation';
import { suppressQuarters, suppressSla, suppressStages, suppressStalled } from './dashboard-suppression';
import {
  MAX_QUARTER_YEARS,
  MONTH_PATTERN,
  MAX_SLA_MONTHS,
  type DeadlineQueryDto,
  type DeadlinesView,
  type QuarterQueryDto,
  type QuartersView,
  type SlaFigureView,
  type SlaQueryDto,
  type SlaView,
  type StagesView,
  type StalledView,
  type WorkloadQueryDto,
  type WorkloadView,
} from './oversight.dto';

/** The audit log's action for a forced recompute of a past month's SLA figures. */
export const SLA_RECOMPUTE_ACTION = 'SLA_RECOMPUTE';

export const OPEN_STAGES = STAGES.filter((s) => s !== 'CLOSED');

/** The Copenhagen calendar month of an instant, as YYYY-MM. */
export function copenhagenMonth(at: Date): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen', year: 'numeric', month: '2-digit' })
    .formatToParts(at)
    .reduce<Record<string, string>>((acc, p) => ({ ...acc, [p.type]: p.value }), {});
  return `${parts.year}-${parts.month}`;
}

export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number);
  const index = y * 12 + (m - 1) + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = from; m <= to; m = addMonths(m, 1)) out.push(m);
  return out;
}

export function slaFigure(row: SlaRow): SlaFigureView {
  return {
    month: row.month,
    ...(row.agency ? { agency: row.agency } : {}),
    ...(row.taskType ? { taskType: row.taskType } : {}),
    done: row.done,
    onTime: row.onTime,
    onTimeShare: row.done === 0 ? null : Math.round((row.onTime / row.done) * 1000) / 1000,
    medianLateHours: row.medianLateHours,
    claimed: row.claimed,
    medianQueueHours: row.medianQueueHours,
    medianWorkHours: row.medianWorkHours,
  };
}

function slaView(from: string, to: string, rows: SlaRow[]): SlaView {
  const totals = new Map(rows.filter((r) => r.agency === null).map((r) => [r.month, r]));
  return {
    from,
    to,
    minCell: null,
    months: monthsBetween(from, to).map((m) => slaFigure(totals.get(m) ?? emptyMonth(m))),
    rows: rows.filter((r) => r.agency !== null).map(slaFigure),
  };
}

const emptyMonth = (month: string): SlaRow => ({
  month,
  agency: null,
  taskType: null,
  done: 0,
  people: 0,
  onTime: 0,
  medianLateHours: null,
  claimed: 0,
  medianQueueHours: null,
  medianWorkHours: null,
});

@Injectable()
export class OversightService {
  constructor(
    private readonly figures: OversightRepository,
    private readonly trail: AuditTrail,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  /**
   * The smallest group a figure may show to this caller, or undefined for exact figures: the operative group (and any
   * role that reads the pathways themselves) gets them exact, since hiding a count of what it can list protects nobody;
   * the steering group, managers and administrators see aggregates only, suppressed as the yearly report is.
   */
  private minCell(actor: Actor): SuppressionThreshold | undefined {
    return oversees(actor) ? undefined : (this.config.reportMinCell ?? DEFAULT_SUPPRESSION_THRESHOLD);
  }

  async stages(actor: Actor): Promise<StagesView> {
    const at = new Date();
    const rows = await this.figures.stages(at);
    await this.audited(actor, 'stages');
    const stages = OPEN_STAGES.map((stage) => {
      const row = rows.find((r) => r.stage === stage);
      return {
        stage,
        open: row?.open ?? 0,
        medianDaysInStage: row?.medianDays ?? 0,
        maxDaysInStage: row?.maxDays ?? 0,
      };
    });
    const view = { at: at.toISOString(), minCell: null, open: stages.reduce((sum, s) => sum + s.open, 0), stages };
    const n = this.minCell(actor);
    return n ? suppressStages(view, n) : view;
  }

  async sla(query: SlaQueryDto, actor: Actor): Promise<SlaView> {
    const { from, to } = slaRange(query, new Date());
    const rows = await this.figures.sla(from, to);
    await this.audited(actor, 'sla');
    return this.slaFor(actor, from, to, rows);
  }

  /**
   * A past month's SLA figures computed again now (they are otherwise computed once, a day after the month ended):
   * after read-model writes that came late or a correction of the data. Audited with who asked; answers the month.
   */
  async recomputeSla(month: string, actor: Actor): Promise<SlaView> {
    if (!MONTH_PATTERN.test(month)) throw badRequest([{ field: 'month', reason: 'must be a month as YYYY-MM' }]);
    if (month >= copenhagenMonth(new Date())) {
      throw badRequest([
        { field: 'month', reason: 'must be a past month (the running month is recomputed every 5 minutes)' },
      ]);
    }
    await this.figures.recomputeSlaMonth(month);
    await this.trail.statistics(actor, `Genberegning af SLA-tal for ${month}`, SLA_RECOMPUTE_ACTION);
    return this.slaFor(actor, month, month, await this.figures.sla(month, month));
  }

  async deadlines(query: DeadlineQueryDto, actor: Actor): Promise<DeadlinesView> {
    const at = new Date();
    const soonDays = query.soonDays ?? 7;
    const rows = await this.figures.openWork(at, soonDays);
    await this.audited(actor, 'deadlines');
    const agencies = rows.map((r) => ({ agency: r.agency, overdue: r.overdue, dueSoon: r.dueSoon }));
    return {
      at: at.toISOString(),
      soonDays,
      overdue: agencies.reduce((sum, a) => sum + a.overdue, 0),
      dueSoon: agencies.reduce((sum, a) => sum + a.dueSoon, 0),
      agencies,
    };
  }

  async workload(query: WorkloadQueryDto, actor: Actor): Promise<WorkloadView> {
    const at = new Date();
    const absentDays = query.absentDays ?? 7;
    const [rows, absent] = await Promise.all([this.figures.openWork(at, 7), this.figures.absentWork(at, absentDays)]);
    await this.audited(actor, 'workload');
    const agencies = rows.map((r) => {
      const away = absent.find((a) => a.agency === r.agency);
      return {
        agency: r.agency,
        unassigned: r.unassigned,
        claimed: r.claimed,
        assignees: r.assignees,
        oldestOpenDays: r.oldestOpenDays,
        absentClaimed: away?.tasks ?? 0,
        absentAssignees: away?.assignees ?? 0,
      };
    });
    return {
      at: at.toISOString(),
      unassigned: agencies.reduce((sum, a) => sum + a.unassigned, 0),
      claimed: agencies.reduce((sum, a) => sum + a.claimed, 0),
      absentDays,
      absentClaimed: agencies.reduce((sum, a) => sum + a.absentClaimed, 0),
      agencies,
    };
  }

  async stalled(actor: Actor): Promise<StalledView> {
    const at = new Date();
    const rows = await this.figures.stalled(at);
    await this.audited(actor, 'stalled');
    const stages = OPEN_STAGES.map((stage) => {
      const r = rows.find((row) => row.stage === stage);
      return {
        stage,
        stalled: r?.stalled ?? 0,
        medianDays: r?.medianDays ?? 0,
        maxDays: r?.maxDays ?? 0,
        byDays: {
          under30: r?.under30 ?? 0,
          from30to59: r?.from30to59 ?? 0,
          from60to89: r?.from60to89 ?? 0,
          over90: r?.over90 ?? 0,
        },
      };
    });
    const view = {
      at: at.toISOString(),
      minCell: null,
      stalled: stages.reduce((sum, s) => sum + s.stalled, 0),
      stages,
    };
    const n = this.minCell(actor);
    return n ? suppressStalled(view, n) : view;
  }

  async quarters(query: QuarterQueryDto, actor: Actor): Promise<QuartersView> {
    const thisYear = Number(copenhagenMonth(new Date()).slice(0, 4));
    const to = query.to === undefined ? thisYear : Number(query.to);
    const from = query.from === undefined ? to : Number(query.from);
    if (from > to) throw badRequest([{ field: 'from', reason: 'must not be after to' }]);
    if (to - from + 1 > MAX_QUARTER_YEARS) {
      throw badRequest([{ field: 'from', reason: `at most ${MAX_QUARTER_YEARS} years at a time` }]);
    }
    const { started, closed } = await this.figures.quarters(from, to);
    await this.audited(actor, 'quarters');
    const quarters = [];
    for (let year = from; year <= to; year++) {
      for (let q = 1; q <= 4; q++) {
        const quarter = `${year}-Q${q}`;
        const closedByOutcome = Object.fromEntries(
          CLOSING_OUTCOMES.map((o) => [o, closed.find((c) => c.quarter === quarter && c.outcome === o)?.n ?? 0]),
        );
        quarters.push({
          quarter,
          started: started.find((s) => s.quarter === quarter)?.n ?? 0,
          closed: Object.values(closedByOutcome).reduce((sum, n) => sum + n, 0),
          closedByOutcome,
        });
      }
    }
    const n = this.minCell(actor);
    const view = { from, to, minCell: null, quarters };
    return n ? suppressQuarters(view, n) : view;
  }

  private slaFor(actor: Actor, from: string, to: string, rows: SlaRow[]): SlaView {
    const n = this.minCell(actor);
    const view = slaView(from, to, rows);
    return n ? suppressSla(view, rows, n) : view;
  }

  private async audited(actor: Actor, what: string): Promise<void> {
    await this.trail.statistics(actor, what);
  }
}

/** The months an SLA request covers: `to` this month and `from` two months earlier by default; at most a year. */
export function slaRange(query: SlaQueryDto, now: Date): { from: string; to: string } {
  const to = query.to ?? copenhagenMonth(now);
  const from = query.from ?? addMonths(to, -2);
  if (from > to) throw badRequest([{ field: 'from', reason: 'must not be after to' }]);
  if (monthsBetween(from, to).length > MAX_SLA_MONTHS) {
    throw badRequest([{ field: 'from', reason: `at most ${MAX_SLA_MONTHS} months at a time` }]);
  }
  return { from, to };
}

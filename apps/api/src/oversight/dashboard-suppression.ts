// Small-number suppression of the dashboard's figures for the callers who see aggregates only (the steering group and
// managers): the yearly report's rules (libs/domain/src/statistics/suppression.ts) on the same tables, so that a cell
// the report hides is hidden here too and cannot be recovered by setting one beside the other. A hidden figure is
// the string the report prints: "<N" (from 1 to N-1 people) or "x" (hidden so another cannot be worked out); a
// median or share from fewer than N people goes with its count. Counts of the agencies' open work (deadlines,
// workload) count tasks and claims, not people, and are not suppressed: see docs/ARCHITECTURE.md.
import {
  CLOSING_OUTCOMES,
  suppressLine,
  suppressMeasure,
  suppressParts,
  suppressTable,
  type ShownCell,
  type SuppressionThreshold,
} from '../../../../libs/domain/src';
import type { SlaRow } from '../../../../libs/persistence/src';
import type { Figure, QuartersView, SlaFigureView, SlaView, StagesView, StalledView } from './oversight.dto';

/** A shown figure as its number, a hidden one as its mark. */
const shown = (cell: ShownCell): Figure => cell.value ?? cell.text;
const num = (figure: Figure): number => (typeof figure === 'number' ? figure : 0);

/** A measure (median, share) of a group whose count is shown as `count`: hidden with it. */
const withCount = <T>(count: ShownCell, value: T): T | string => (count.value === null ? count.text : value);

export function suppressStages(view: StagesView, n: SuppressionThreshold): StagesView {
  const counts = suppressParts(
    view.stages.map((s) => num(s.open)),
    n,
  );
  return {
    ...view,
    minCell: n,
    open: shown(counts.total),
    stages: view.stages.map((s, i) => ({
      ...s,
      open: shown(counts.parts[i]),
      medianDaysInStage: withCount(counts.parts[i], s.medianDaysInStage),
      maxDaysInStage: withCount(counts.parts[i], s.maxDaysInStage),
    })),
  };
}

export function suppressStalled(view: StalledView, n: SuppressionThreshold): StalledView {
  const table = suppressTable(
    {
      cells: view.stages.map((s) => [
        num(s.byDays.under30),
        num(s.byDays.from30to59),
        num(s.byDays.from60to89),
        num(s.byDays.over90),
      ]),
    },
    n,
  );
  return {
    ...view,
    minCell: n,
    stalled: shown(table.total),
    stages: view.stages.map((s, i) => {
      const [under30, from30to59, from60to89, over90] = table.cells[i].map(shown);
      return {
        ...s,
        stalled: shown(table.rowTotals[i]),
        medianDays: withCount(table.rowTotals[i], s.medianDays),
        maxDays: withCount(table.rowTotals[i], s.maxDays),
        byDays: { under30, from30to59, from60to89, over90 },
      };
    }),
  };
}

/** Per year as the yearly report does it: started per quarter with the year's total, closed outcome × quarter. */
export function suppressQuarters(view: QuartersView, n: SuppressionThreshold): QuartersView {
  const quarters = [...view.quarters];
  for (let year = view.from; year <= view.to; year++) {
    const index = quarters.map((q, i) => (q.quarter.startsWith(`${year}-`) ? i : -1)).filter((i) => i >= 0);
    const started = suppressParts(
      index.map((i) => num(quarters[i].started)),
      n,
    );
    const closed = suppressTable(
      { cells: CLOSING_OUTCOMES.map((o) => index.map((i) => num(quarters[i].closedByOutcome[o]))) },
      n,
    );
    index.forEach((i, column) => {
      quarters[i] = {
        ...quarters[i],
        started: shown(started.parts[column]),
        closed: shown(closed.columnTotals[column]),
        closedByOutcome: Object.fromEntries(CLOSING_OUTCOMES.map((o, row) => [o, shown(closed.cells[row][column])])),
      };
    });
  }
  return { ...view, minCell: n, quarters };
}

/** A month's rows (agency × task type) add up to its total: one line, decided by the people behind each figure. */
export function suppressSla(view: SlaView, source: readonly SlaRow[], n: SuppressionThreshold): SlaView {
  const key = (month: string, agency?: string | null, taskType?: string | null) =>
    `${month}|${agency ?? ''}|${taskType ?? ''}`;
  const byKey = new Map(source.map((r) => [key(r.month, r.agency, r.taskType), r.people]));
  const people = { get: (f: SlaFigureView) => byKey.get(key(f.month, f.agency, f.taskType)) };
  const figure = (f: SlaFigureView) => ({ value: num(f.done), people: people.get(f) ?? 0 });
  const months: SlaFigureView[] = [];
  const rows: SlaFigureView[] = [];
  for (const total of view.months) {
    const parts = view.rows.filter((r) => r.month === total.month);
    const line = suppressLine(parts.map(figure), figure(total), n);
    months.push(slaShown(total, line.total, people.get(total) ?? 0, n));
    parts.forEach((r, i) => rows.push(slaShown(r, line.parts[i], people.get(r) ?? 0, n)));
  }
  return { ...view, minCell: n, months, rows };
}

function slaShown(f: SlaFigureView, done: ShownCell, people: number, n: SuppressionThreshold): SlaFigureView {
  // The share, and with it the count on time (done × share), is a measure of the people behind the row.
  const measure = (value: number | null): number | string | null =>
    done.value === null ? done.text : shownMeasure(suppressMeasure(value, people, n));
  return {
    ...f,
    done: shown(done),
    onTime: done.value === null ? done.text : (shownMeasure(suppressMeasure(num(f.onTime), people, n)) ?? 0),
    onTimeShare: measure(f.onTimeShare as number | null),
    medianLateHours: measure(f.medianLateHours as number | null),
    claimed: done.value === null ? done.text : f.claimed,
    medianQueueHours: measure(f.medianQueueHours as number | null),
    medianWorkHours: measure(f.medianWorkHours as number | null),
  };
}

/** A measure as the dashboard shows it: the value, null when there is nothing to measure, the mark when hidden. */
const shownMeasure = (cell: ShownCell): number | string | null =>
  cell.value ?? (cell.suppressed === 'none' ? null : cell.text);

// Small-number suppression for published figures, as Danmarks Statistik practises it: no count of fewer than N people
// is shown (N = 3, or 5 for a population as small as this one), and a hidden count must not be recoverable from a
// shown total or a difference of shown figures (secondary suppression). Averages and shares computed from fewer than
// N people are hidden as well. Pure functions: the yearly report (apps/api/src/reports) applies them to its tables.

/** The smallest group a published figure may describe. */
export const SUPPRESSION_THRESHOLDS = [3, 5] as const;
export type SuppressionThreshold = (typeof SUPPRESSION_THRESHOLDS)[number];
export const DEFAULT_SUPPRESSION_THRESHOLD: SuppressionThreshold = 3;

export function isSuppressionThreshold(value: unknown): value is SuppressionThreshold {
  return (SUPPRESSION_THRESHOLDS as readonly unknown[]).includes(value);
}

/** Shown for a secondarily suppressed figure: hidden to protect another one, not itself small. */
export const SECONDARY_MARK = 'x';

/** What a reader sees of one figure. */
export interface ShownCell {
  /** The figure when shown; null when it is hidden. */
  readonly value: number | null;
  /** The text to print: the figure, "<N" (too few people) or "x" (hidden so another cell cannot be recovered). */
  readonly text: string;
  readonly suppressed: 'none' | 'primary' | 'secondary';
}

export const smallMark = (threshold: SuppressionThreshold): string => `<${threshold}`;

/**
 * A count is too small to show when 1 to N-1 people are in it. Zero is shown: "nobody" describes no person, and hiding
 * every zero would hide most of a sparse table for nothing.
 */
export function isTooSmall(count: number, threshold: SuppressionThreshold): boolean {
  return count > 0 && count < threshold;
}

/** One count on its own (no total it adds up to). */
export function suppressCount(count: number, threshold: SuppressionThreshold): ShownCell {
  return isTooSmall(count, threshold)
    ? { value: null, text: smallMark(threshold), suppressed: 'primary' }
    : { value: count, text: String(count), suppressed: 'none' };
}

/**
 * A share or an average of `people` people: hidden when fewer than N people stand behind it, even when it has no value
 * (no late task among them); "–" when there is nothing to measure. `format` renders a shown value.
 */
export function suppressMeasure(
  value: number | null,
  people: number,
  threshold: SuppressionThreshold,
  format: (value: number) => string = (v) => String(v),
): ShownCell {
  if (people === 0) return { value: null, text: '–', suppressed: 'none' };
  // Before asking whether there is a figure at all: "no late task among 2 people" says as much as a share would.
  if (people < threshold) return { value: null, text: smallMark(threshold), suppressed: 'primary' };
  if (value === null) return { value: null, text: '–', suppressed: 'none' };
  return { value, text: format(value), suppressed: 'none' };
}

/** A two-way table of counts of people with its margins, as published. */
export interface CountTable {
  /** cells[row][column]: the number of people; every row has the same number of columns. */
  readonly cells: readonly (readonly number[])[];
}

/** The table as shown: the inner cells, each row's total, each column's total and the grand total. */
export interface ShownTable {
  readonly cells: ShownCell[][];
  readonly rowTotals: ShownCell[];
  readonly columnTotals: ShownCell[];
  readonly total: ShownCell;
}

/**
 * Suppresses a table with margins. Primary: every figure (inner cell or total) of 1 to N-1 people. Secondary: the
 * table is a set of lines, each row with its total and each column with its total (and the row of column totals with
 * the grand total); a line in which exactly one figure is hidden gives it away by subtraction, so one more figure of
 * that line is hidden: the smallest shown inner cell that is not zero (a hidden zero protects little when the reader
 * can guess it is empty), else the smallest shown inner cell, else the line's total. Repeated until no line has exactly
 * one hidden figure; each round hides at least one more figure, so it ends.
 */
export function suppressTable(table: CountTable, threshold: SuppressionThreshold): ShownTable {
  const rows = table.cells.length;
  const columns = rows === 0 ? 0 : table.cells[0].length;
  if (table.cells.some((row) => row.length !== columns)) throw new Error('every row needs the same number of columns');
  for (const row of table.cells) {
    for (const n of row) if (!Number.isInteger(n) || n < 0) throw new Error('counts are whole numbers >= 0');
  }
  // The full grid: inner cells, a last column of row totals, a last row of column totals and the grand total.
  const grid: number[][] = table.cells.map((row) => [...row, row.reduce((a, b) => a + b, 0)]);
  const columnTotals = Array.from({ length: columns + 1 }, (_, j) => grid.reduce((sum, row) => sum + row[j], 0));
  grid.push(columnTotals);
  const hidden: ('none' | 'primary' | 'secondary')[][] = grid.map((row) =>
    row.map((n) => (isTooSmall(n, threshold) ? 'primary' : 'none')),
  );

  // Every line: the positions of its inner figures and of its total.
  type Position = readonly [number, number];
  const lines: { inner: Position[]; total: Position }[] = [];
  for (let i = 0; i <= rows; i++) {
    lines.push({ inner: Array.from({ length: columns }, (_, j) => [i, j] as const), total: [i, columns] });
  }
  for (let j = 0; j <= columns; j++) {
    lines.push({ inner: Array.from({ length: rows }, (_, i) => [i, j] as const), total: [rows, j] });
  }
  const isHidden = ([i, j]: Position) => hidden[i][j] !== 'none';
  const value = ([i, j]: Position) => grid[i][j];

  for (let changed = true; changed;) {
    changed = false;
    for (const line of lines) {
      const all = [...line.inner, line.total];
      if (all.filter(isHidden).length !== 1) continue;
      const shown = line.inner.filter((p) => !isHidden(p)).sort((a, b) => value(a) - value(b));
      const pick = shown.find((p) => value(p) > 0) ?? shown[0] ?? (isHidden(line.total) ? undefined : line.total);
      if (!pick) continue;
      hidden[pick[0]][pick[1]] = 'secondary';
      changed = true;
    }
  }

  const shownCell = (i: number, j: number): ShownCell => {
    const state = hidden[i][j];
    if (state === 'primary') return { value: null, text: smallMark(threshold), suppressed: 'primary' };
    if (state === 'secondary') return { value: null, text: SECONDARY_MARK, suppressed: 'secondary' };
    return { value: grid[i][j], text: String(grid[i][j]), suppressed: 'none' };
  };
  return {
    cells: Array.from({ length: rows }, (_, i) => Array.from({ length: columns }, (_, j) => shownCell(i, j))),
    rowTotals: Array.from({ length: rows }, (_, i) => shownCell(i, columns)),
    columnTotals: Array.from({ length: columns }, (_, j) => shownCell(rows, j)),
    total: shownCell(rows, columns),
  };
}

/**
 * A list of counts that adds up to a shown total (one row of a table): the same rule with the total as the margin.
 * Returns the parts and the total as shown.
 */
export function suppressParts(
  parts: readonly number[],
  threshold: SuppressionThreshold,
): { parts: ShownCell[]; total: ShownCell } {
  const shown = suppressTable({ cells: [parts] }, threshold);
  return { parts: shown.cells[0] ?? [], total: shown.rowTotals[0] ?? suppressCount(0, threshold) };
}

/** A figure of a line and the distinct people behind it (a count of tasks can stand for fewer people). */
export interface PeopleFigure {
  readonly value: number;
  readonly people: number;
}

/**
 * One line of figures that adds up to a shown total, where what is too small is decided by the people behind each
 * figure rather than by the figure (tasks per agency: 5 tasks of 2 people are hidden). The line rule of suppressTable:
 * with exactly one hidden figure, the smallest other figure that is not zero is hidden as well, else the total.
 */
export function suppressLine(
  parts: readonly PeopleFigure[],
  total: PeopleFigure,
  threshold: SuppressionThreshold,
): { parts: ShownCell[]; total: ShownCell } {
  const state: ('none' | 'primary' | 'secondary')[] = [...parts, total].map((f) =>
    isTooSmall(f.people, threshold) ? 'primary' : 'none',
  );
  if (state.filter((s) => s !== 'none').length === 1) {
    const shown = parts
      .map((f, i) => ({ f, i }))
      .filter(({ i }) => state[i] === 'none')
      .sort((a, b) => a.f.value - b.f.value);
    const pick = shown.find(({ f }) => f.value > 0) ?? shown[0];
    state[pick ? pick.i : parts.length] = 'secondary';
  }
  const cell = (f: PeopleFigure, s: (typeof state)[number]): ShownCell =>
    s === 'primary'
      ? { value: null, text: smallMark(threshold), suppressed: 'primary' }
      : s === 'secondary'
        ? { value: null, text: SECONDARY_MARK, suppressed: 'secondary' }
        : { value: f.value, text: String(f.value), suppressed: 'none' };
  return { parts: parts.map((f, i) => cell(f, state[i])), total: cell(total, state[parts.length]) };
}

// Small-number suppression (libs/domain/src/statistics/suppression.ts): what a reader of the yearly report sees of
// small counts, and that no hidden count can be worked out again from the totals printed beside it.
import {
  suppressCount,
  suppressMeasure,
  suppressLine,
  suppressParts,
  suppressTable,
  type ShownTable,
} from '../../libs/domain/src/statistics/suppression';

const texts = (t: ShownTable) => ({
  cells: t.cells.map((row) => row.map((c) => c.text)),
  rowTotals: t.rowTotals.map((c) => c.text),
  columnTotals: t.columnTotals.map((c) => c.text),
  total: t.total.text,
});

describe('one count', () => {
  it.each([
    [0, '0'],
    [1, '<3'],
    [2, '<3'],
    [3, '3'],
    [40, '40'],
  ])('%i people with N = 3 is shown as %s', (n, text) => {
    expect(suppressCount(n, 3).text).toBe(text);
  });

  it('with N = 5, 3 and 4 are hidden as "<5" and 5 is shown', () => {
    expect([3, 4, 5].map((n) => suppressCount(n, 5).text)).toEqual(['<5', '<5', '5']);
    expect(suppressCount(4, 5).value).toBeNull();
  });
});

describe('shares and averages', () => {
  const percent = (v: number) => `${Math.round(v * 100)} %`;

  it.each([
    [0, '–'],
    [1, '<3'],
    [2, '<3'],
    [3, '67 %'],
  ])('a share of %i people', (people, text) => {
    expect(suppressMeasure(people === 0 ? null : 2 / 3, people, 3, percent).text).toBe(text);
  });

  it('a measure without a value (no late task) from 2 people is hidden too: its absence says as much', () => {
    expect(suppressMeasure(null, 2, 3).text).toBe('<3');
    expect(suppressMeasure(null, 3, 3).text).toBe('–');
  });

  it('an average from 4 people is hidden with N = 5', () => {
    expect(suppressMeasure(12.5, 4, 5)).toEqual({ value: null, text: '<5', suppressed: 'primary' });
    expect(suppressMeasure(12.5, 5, 5).text).toBe('12.5');
  });
});

describe('a table with totals', () => {
  it('shows a table without small cells whole', () => {
    expect(
      texts(
        suppressTable(
          {
            cells: [
              [5, 0],
              [3, 7],
            ],
          },
          3,
        ),
      ),
    ).toEqual({
      cells: [
        ['5', '0'],
        ['3', '7'],
      ],
      rowTotals: ['5', '10'],
      columnTotals: ['8', '7'],
      total: '15',
    });
  });

  it('a single hidden cell would be the row total minus the rest: the next-smallest cell of its row and column go too', () => {
    // 2 is small. Row 0 shown as [<3, 4, 9 | 15] gives 15 - 4 - 9 = 2 back, so 4 is hidden as well; column 0 as
    // [<3, 6 | 8] gives 8 - 6 = 2, so 6 goes; then row 1 and column 1 have one hidden cell each, and so on until
    // every line with a hidden cell has two.
    const shown = suppressTable(
      {
        cells: [
          [2, 4, 9],
          [6, 5, 8],
        ],
      },
      3,
    );
    expect(texts(shown)).toEqual({
      cells: [
        ['<3', 'x', '9'],
        ['x', 'x', '8'],
      ],
      rowTotals: ['15', '19'],
      columnTotals: ['8', '9', '17'],
      total: '34',
    });
    // No line (row with its total, column with its total) has exactly one hidden figure left.
    const grid = [
      [...shown.cells[0], shown.rowTotals[0]],
      [...shown.cells[1], shown.rowTotals[1]],
      [...shown.columnTotals, shown.total],
    ];
    const lines = [...grid, ...grid[0].map((_, j) => grid.map((row) => row[j]))];
    expect(lines.filter((line) => line.filter((c) => c.value === null).length === 1)).toEqual([]);
  });

  it('a total that would reveal a hidden cell keeps it hidden: the cell beside it goes instead', () => {
    // Column 1 holds 1 + 1 = 2 people: its cells and its total are small. Row 0 printed as [4, <3 | 5] would give
    // 5 - 4 = 1 back, so 4 is hidden too; likewise 5 in row 1, and 9 in the row of column totals (11 - 9 = 2). The row
    // totals stay: 5 = a + b with b < 3 leaves a open.
    expect(
      texts(
        suppressTable(
          {
            cells: [
              [4, 1],
              [5, 1],
            ],
          },
          3,
        ),
      ),
    ).toEqual({
      cells: [
        ['x', '<3'],
        ['x', '<3'],
      ],
      rowTotals: ['5', '6'],
      columnTotals: ['x', '<3'],
      total: '11',
    });
  });

  it('hides the smallest cell that is not zero, a zero only when nothing else is left', () => {
    expect(suppressParts([1, 0, 7, 4], 3).parts.map((c) => c.text)).toEqual(['<3', '0', '7', 'x']);
    // Here the total is itself small, so the row already has two hidden figures and the zero stays.
    const small = suppressParts([2, 0], 3);
    expect([...small.parts.map((c) => c.text), small.total.text]).toEqual(['<3', '0', '<3']);
    expect(suppressParts([2, 0, 6], 3).parts.map((c) => c.text)).toEqual(['<3', '0', 'x']);
  });

  it('a row of one cell has its total hidden with it', () => {
    const shown = suppressParts([2], 3);
    expect([shown.parts[0].text, shown.total.text]).toEqual(['<3', '<3']);
  });

  it('N = 5 hides 3 and 4 and keeps 5', () => {
    expect(suppressParts([3, 5, 9], 5).parts.map((c) => c.text)).toEqual(['<5', 'x', '9']);
  });

  it('refuses what is not a count', () => {
    expect(() => suppressTable({ cells: [[1.5]] }, 3)).toThrow('whole numbers');
    expect(() => suppressTable({ cells: [[1, 2], [3]] }, 3)).toThrow('same number of columns');
  });
});

describe('a line decided by people', () => {
  it('5 tasks of 2 people are hidden, and the next-smallest line with them so the total does not give them away', () => {
    const shown = suppressLine(
      [
        { value: 5, people: 2 },
        { value: 40, people: 30 },
        { value: 9, people: 6 },
      ],
      { value: 54, people: 36 },
      3,
    );
    expect([...shown.parts.map((c) => c.text), shown.total.text]).toEqual(['<3', '40', 'x', '54']);
  });

  it('two small lines protect each other; none small hides nothing', () => {
    const two = suppressLine(
      [
        { value: 1, people: 1 },
        { value: 2, people: 2 },
        { value: 9, people: 6 },
      ],
      { value: 12, people: 9 },
      3,
    );
    expect(two.parts.map((c) => c.text)).toEqual(['<3', '<3', '9']);
    const none = suppressLine([{ value: 3, people: 3 }], { value: 3, people: 3 }, 3);
    expect([none.parts[0].text, none.total.text]).toEqual(['3', '3']);
  });
});

// The dashboard's suppression for the steering group and managers (apps/api/src/oversight/dashboard-suppression.ts)
// on figures worked out by hand: 0, 1, 2 and 3 people, and a total that would give a hidden cell back.
import { OPEN_STAGES } from '../../apps/api/src/oversight/oversight.service';
import { suppressStages, suppressStalled } from '../../apps/api/src/oversight/dashboard-suppression';
import type { StagesView, StalledView } from '../../apps/api/src/oversight/oversight.dto';

function stages(open: number[]): StagesView {
  return {
    at: '2026-12-06T00:00:00.000Z',
    minCell: null,
    open: open.reduce((a, b) => a + b, 0),
    stages: OPEN_STAGES.map((stage, i) => ({
      stage,
      open: open[i] ?? 0,
      medianDaysInStage: open[i] ? 10 : 0,
      maxDaysInStage: open[i] ? 20 : 0,
    })),
  };
}

const opens = (view: StagesView) => view.stages.map((s) => s.open);

describe('dashboard suppression', () => {
  it('shows 0 and 3, hides 1 and 2, and keeps the total when two cells are hidden', () => {
    const shown = suppressStages(stages([0, 1, 2, 3]), 3);
    expect(opens(shown)).toEqual([0, '<3', '<3', 3, 0, 0, 0, 0]);
    expect(shown.open).toBe(6);
    expect(shown.minCell).toBe(3);
    expect(shown.stages[1]).toMatchObject({ medianDaysInStage: '<3', maxDaysInStage: '<3' });
    expect(shown.stages[3]).toMatchObject({ medianDaysInStage: 10, maxDaysInStage: 20 });
  });

  it('hides one more cell when the total would give the only hidden one back', () => {
    // 5 + 1 + 4 = 10: with only the 1 hidden, 10 − 5 − 4 = 1. The smallest other (4) is hidden as well.
    const shown = suppressStages(stages([5, 1, 4]), 3);
    expect(opens(shown)).toEqual([5, '<3', 'x', 0, 0, 0, 0, 0]);
    expect(shown.open).toBe(10);
    expect(shown.stages[2]).toMatchObject({ medianDaysInStage: 'x', maxDaysInStage: 'x' });
  });

  it('with a threshold of 5, hides 3 and 4 too', () => {
    expect(opens(suppressStages(stages([3, 4, 5, 6]), 5))).toEqual(['<5', '<5', 5, 6, 0, 0, 0, 0]);
  });

  it('stalled: a row of one bucket hides its total, and a column total is checked like a row', () => {
    const view: StalledView = {
      at: '2026-12-06T00:00:00.000Z',
      minCell: null,
      stalled: 7,
      stages: OPEN_STAGES.map((stage, i) => {
        const byDays =
          i === 0
            ? { under30: 3, from30to59: 1, from60to89: 0, over90: 0 }
            : i === 1
              ? { under30: 3, from30to59: 0, from60to89: 0, over90: 0 }
              : { under30: 0, from30to59: 0, from60to89: 0, over90: 0 };
        const stalled = Object.values(byDays).reduce((a, b) => a + b, 0);
        return { stage, stalled, medianDays: stalled ? 40 : 0, maxDays: stalled ? 45 : 0, byDays };
      }),
    };
    const shown = suppressStalled(view, 3);
    // CONTACT's 1 is alone hidden in its row (3 + 1 = 4), so the 3 beside it is hidden too. In the row of column
    // totals (6, 1, 0, 0 = 7) the 1 would then be the only hidden figure: the 6 is hidden as well (it is no figure of
    // this view), so ASSESSMENT's 3 may stay: 3 + x = hidden.
    expect(shown.stages[0].byDays).toEqual({ under30: 'x', from30to59: '<3', from60to89: 0, over90: 0 });
    expect(shown.stages[1].byDays.under30).toBe(3);
    expect(shown.stages[0].stalled).toBe(4);
    expect(shown.stalled).toBe(7);
  });
});

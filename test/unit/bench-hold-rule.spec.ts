// When `npm run bench` counts a rate as sustained (scripts/bench/hold-rule.ts), with the figures of real holds from
// docs/PERFORMANCE.md ("The second 10-minute run").
import { holds, inTime, sustainedRates } from '../../scripts/bench/hold-rule';

describe('the bench hold rule', () => {
  it('counts a hold whose few refusals came at once with Retry-After (22/s: 13,163 of 13,200 a 201)', () => {
    const figures = { offered: 13_200, ok: 13_163, refused: 37, p99: 1160 };
    expect(inTime(figures)).toBe(true);
    expect(holds(figures)).toBe(true);
  });

  it('does not count a hold that turned away more than one start in 200 (26/s: 416 of 15,600 refused)', () => {
    const figures = { offered: 15_600, ok: 15_184, refused: 416, p99: 1190 };
    expect(inTime(figures)).toBe(true);
    expect(holds(figures)).toBe(false);
  });

  it('fails a run with one start answered START_PENDING, an error or no answer, however few', () => {
    const figures = { offered: 13_200, ok: 13_199, refused: 0, p99: 900 };
    expect(inTime(figures)).toBe(false);
    expect(holds(figures)).toBe(false);
  });

  it('fails a run whose p99 reached 2 s even with every call a 201 (bare 38/s: p99 5.75 s)', () => {
    const figures = { offered: 22_800, ok: 22_800, refused: 0, p99: 5750 };
    expect(inTime(figures)).toBe(false);
    expect(holds(figures)).toBe(false);
    expect(holds({ ...figures, p99: 1999 })).toBe(true);
    expect(holds({ ...figures, p99: 2000 })).toBe(false);
  });

  it('fails an empty run', () => {
    expect(holds({ offered: 0, ok: 0, refused: 0, p99: NaN })).toBe(false);
  });

  it('takes the first hold of a step-down that held, wherever it comes (2026-12-07: bare 22, 18, 14 failed, 12 held)', () => {
    const bare = [
      { rate: 22, offered: 13_200, ok: 13_200, refused: 0, p99: 17_971 },
      { rate: 18, offered: 10_800, ok: 10_800, refused: 0, p99: 10_394 },
      { rate: 14, offered: 8_400, ok: 8_400, refused: 0, p99: 8_550 },
      { rate: 12, offered: 7_200, ok: 7_200, refused: 0, p99: 1_003 },
    ];
    expect(sustainedRates(bare)).toEqual({ rate: 12, inTimeRate: 12 });
    const pathways = [
      { rate: 14, offered: 8_401, ok: 8_037, refused: 364, p99: 2_558 },
      { rate: 12, offered: 7_200, ok: 7_146, refused: 54, p99: 1_577 },
      { rate: 10, offered: 6_000, ok: 5_991, refused: 9, p99: 1_158 },
    ];
    expect(sustainedRates(pathways)).toEqual({ rate: 10, inTimeRate: 12 });
  });

  it('does not count a first hold that was in time but refused too many', () => {
    expect(sustainedRates([{ rate: 26, offered: 15_600, ok: 15_184, refused: 416, p99: 1190 }])).toEqual({
      rate: 0,
      inTimeRate: 26,
    });
  });
});

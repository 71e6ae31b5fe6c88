// The in-flight rule of the API's back-pressure (apps/api/src/core/back-pressure.ts): at most as many commands in
// flight as finish within API_COMMAND_WAIT_MS at the recent pace (API_COMMAND_CALM_WAIT_MS while nothing has been
// refused for CALM_AFTER_MS), never fewer than MIN_IN_FLIGHT_COMMANDS (capped by the ceiling), never more than the
// ceiling.
import {
  CALM_AFTER_MS,
  InFlightCommands,
  MIN_IN_FLIGHT_COMMANDS,
  PACE_WINDOW_MS,
  type InFlightSettings,
} from '../../apps/api/src/core/back-pressure';

describe('InFlightCommands', () => {
  let now = 0;
  const clock = () => now;

  beforeEach(() => {
    now = 1_000_000;
  });

  /** Slots on the test's clock; without `calmWaitMs` the calm wait is the wait, so one wait applies throughout. */
  function slotsOf(settings: InFlightSettings): InFlightCommands {
    return new InFlightCommands({ calmWaitMs: 0, now: clock, ...settings });
  }

  /** Finishes `perSecond` commands a second for `seconds`, evenly, as a stack at that pace would. */
  function run(slots: InFlightCommands, perSecond: number, seconds: number): void {
    for (let i = 0; i < perSecond * seconds; i++) {
      now += 1000 / perSecond;
      slots.tryEnter()!();
    }
  }

  it('refuses beyond the ceiling and admits again once a slot is given back (once, however often it is called)', () => {
    let refused = 0;
    const slots = slotsOf({ ceiling: 2, onRefused: () => refused++ });
    const first = slots.tryEnter()!;
    expect(slots.tryEnter()).toBeDefined();
    expect(slots.tryEnter()).toBeUndefined();
    expect(refused).toBe(1);
    first();
    first();
    expect(slots.current).toBe(1);
    expect(slots.tryEnter()).toBeDefined();
    expect(slots.current).toBe(2);
  });

  it(`by default admits what finishes in 1.5 s at the recent pace, and in 750 ms for ${CALM_AFTER_MS / 1000} s after a refusal`, () => {
    const slots = new InFlightCommands({ ceiling: 100, now: clock });
    run(slots, 40, 5);
    // 38–40 a second (whole quarter-second buckets) × 1.5 s, rounded up: 57–60, not the 16 a quiet process gets.
    expect(slots.calm).toBe(true);
    expect(slots.limit).toBeGreaterThanOrEqual(57);
    expect(slots.limit).toBeLessThanOrEqual(60);
    const admitted = [];
    for (let leave = slots.tryEnter(); leave; leave = slots.tryEnter()) admitted.push(leave);
    expect(admitted.length).toBeGreaterThanOrEqual(57);
    // The refusal makes it strict: × 0.75 s, 29 or 30, so the 57 admitted already refuse every other.
    expect(slots.calm).toBe(false);
    expect(slots.limit).toBeGreaterThanOrEqual(29);
    expect(slots.limit).toBeLessThanOrEqual(30);
    // Once they have finished (a faster pace now), it admits pace × 0.75 s, where calm it would admit twice that.
    // 38–40 a second for 5 s and 57–60 more at this moment: 49–52 a second, × 0.75 s = 37–39 (calm: 74–78).
    for (const leave of admitted) leave();
    let again = 0;
    while (slots.tryEnter()) again++;
    expect(again).toBeGreaterThanOrEqual(37);
    expect(again).toBeLessThanOrEqual(39);
    // Strict as long as it keeps refusing; calm again once it has refused nothing for CALM_AFTER_MS.
    now += CALM_AFTER_MS - 1;
    expect(slots.calm).toBe(false);
    now += 1;
    expect(slots.calm).toBe(true);
  });

  it('takes its calm wait from API_COMMAND_CALM_WAIT_MS, never below API_COMMAND_WAIT_MS', () => {
    const slots = new InFlightCommands({ ceiling: 100, now: clock, calmWaitMs: 1000 });
    run(slots, 40, 5);
    // 38–40 a second × 1 s.
    expect(slots.limit).toBeGreaterThanOrEqual(38);
    expect(slots.limit).toBeLessThanOrEqual(40);
    expect(new InFlightCommands({ ceiling: 100, waitMs: 900, calmWaitMs: 500 }).calmWaitMs).toBe(900);
  });

  it(`a quiet process admits ${MIN_IN_FLIGHT_COMMANDS} at once and refuses the next`, () => {
    const slots = new InFlightCommands({ ceiling: 64, now: clock });
    expect(slots.limit).toBe(MIN_IN_FLIGHT_COMMANDS);
    const admitted = Array.from({ length: MIN_IN_FLIGHT_COMMANDS }, () => slots.tryEnter());
    expect(admitted.every(Boolean)).toBe(true);
    expect(slots.tryEnter()).toBeUndefined();
  });

  it(`at a pace of 40 a second it admits what finishes in a second: about 40`, () => {
    const slots = slotsOf({ ceiling: 64, waitMs: 1000 });
    run(slots, 40, PACE_WINDOW_MS / 1000);
    // The window is whole buckets of a quarter second: the oldest commands of the run may have left it.
    expect(slots.pace()).toBeGreaterThanOrEqual(38);
    expect(slots.pace()).toBeLessThanOrEqual(40);
    const limit = slots.limit;
    expect(limit).toBe(Math.ceil(slots.pace()));
    const admitted = Array.from({ length: limit }, () => slots.tryEnter());
    expect(admitted.every(Boolean)).toBe(true);
    expect(slots.tryEnter()).toBeUndefined();
  });

  it('takes its wait from API_COMMAND_WAIT_MS, and never goes above the ceiling', () => {
    const halfSecond = slotsOf({ ceiling: 64, waitMs: 500 });
    run(halfSecond, 60, 5);
    expect(halfSecond.limit).toBe(Math.ceil(halfSecond.pace() / 2));
    expect(halfSecond.limit).toBeGreaterThanOrEqual(28);
    const capped = slotsOf({ ceiling: 24, waitMs: 2000 });
    run(capped, 60, 5);
    expect(capped.limit).toBe(24);
  });

  it('takes its floor from API_MIN_IN_FLIGHT_COMMANDS', () => {
    const slots = slotsOf({ ceiling: 64, floor: 40 });
    expect(slots.limit).toBe(40);
  });

  it('forgets the pace of more than a window ago: a stalled stack is back to the floor', () => {
    const slots = slotsOf({ ceiling: 64, waitMs: 1000 });
    run(slots, 50, 5);
    expect(slots.limit).toBeGreaterThanOrEqual(47);
    now += PACE_WINDOW_MS / 2;
    expect(slots.limit).toBeGreaterThanOrEqual(MIN_IN_FLIGHT_COMMANDS + 5);
    expect(slots.limit).toBeLessThanOrEqual(26);
    now += PACE_WINDOW_MS;
    expect(slots.pace()).toBe(0);
    expect(slots.limit).toBe(MIN_IN_FLIGHT_COMMANDS);
  });

  it('counts a command when it finishes, not when it is admitted or refused', () => {
    const slots = slotsOf({ ceiling: 1 });
    const leave = slots.tryEnter()!;
    expect(slots.tryEnter()).toBeUndefined();
    expect(slots.pace()).toBe(0);
    leave();
    expect(slots.pace()).toBe(1000 / PACE_WINDOW_MS);
  });
});

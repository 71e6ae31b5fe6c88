// The in-flight rule of the API's back-pressure (apps/api/src/core/back-pressure.ts): at most as many commands in
// flight as finish within API_COMMAND_WAIT_MS at the recent pace, never fewer than MIN_IN_FLIGHT_COMMANDS (capped by
// the ceiling), never more than the ceiling.
import { InFlightCommands, MIN_IN_FLIGHT_COMMANDS, PACE_WINDOW_MS } from '../../apps/api/src/core/back-pressure';

describe('InFlightCommands', () => {
  let now = 0;
  const clock = () => now;

  beforeEach(() => {
    now = 1_000_000;
  });

  /** Finishes `perSecond` commands a second for `seconds`, evenly, as a stack at that pace would. */
  function run(slots: InFlightCommands, perSecond: number, seconds: number): void {
    for (let i = 0; i < perSecond * seconds; i++) {
      now += 1000 / perSecond;
      slots.tryEnter()!();
    }
  }

  it('refuses beyond the ceiling and admits again once a slot is given back (once, however often it is called)', () => {
    let refused = 0;
    const slots = new InFlightCommands(2, () => refused++, clock);
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

  it(`by default admits what finishes in 750 ms at the recent pace`, () => {
    const slots = new InFlightCommands(64, undefined, clock);
    run(slots, 40, 5);
    // 38–40 a second (whole quarter-second buckets) × 0.75 s, rounded up: 29 or 30, not the 16 a quiet process gets.
    expect(slots.limit).toBeGreaterThanOrEqual(29);
    expect(slots.limit).toBeLessThanOrEqual(30);
  });

  it(`a quiet process admits ${MIN_IN_FLIGHT_COMMANDS} at once and refuses the next`, () => {
    const slots = new InFlightCommands(64, undefined, clock);
    expect(slots.limit).toBe(MIN_IN_FLIGHT_COMMANDS);
    const admitted = Array.from({ length: MIN_IN_FLIGHT_COMMANDS }, () => slots.tryEnter());
    expect(admitted.every(Boolean)).toBe(true);
    expect(slots.tryEnter()).toBeUndefined();
  });

  it(`at a pace of 40 a second it admits what finishes in a second: about 40`, () => {
    const slots = new InFlightCommands(64, undefined, clock, 1000);
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
    const halfSecond = new InFlightCommands(64, undefined, clock, 500);
    run(halfSecond, 60, 5);
    expect(halfSecond.limit).toBe(Math.ceil(halfSecond.pace() / 2));
    expect(halfSecond.limit).toBeGreaterThanOrEqual(28);
    const capped = new InFlightCommands(24, undefined, clock, 2000);
    run(capped, 60, 5);
    expect(capped.limit).toBe(24);
  });

  it('takes its floor from API_MIN_IN_FLIGHT_COMMANDS', () => {
    const slots = new InFlightCommands(64, undefined, clock, 750, 40);
    expect(slots.limit).toBe(40);
  });

  it('forgets the pace of more than a window ago: a stalled stack is back to the floor', () => {
    const slots = new InFlightCommands(64, undefined, clock, 1000);
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
    const slots = new InFlightCommands(1, undefined, clock);
    const leave = slots.tryEnter()!;
    expect(slots.tryEnter()).toBeUndefined();
    expect(slots.pace()).toBe(0);
    leave();
    expect(slots.pace()).toBe(1000 / PACE_WINDOW_MS);
  });
});

// The in-flight rule of the API's back-pressure (apps/api/src/core/back-pressure.ts): a ceiling, and no admission while
// several commands in flight have waited over STALE_AFTER_MS; one slow command alone refuses nothing.
import {
  DEFAULT_STALE_AFTER_MS as STALE_AFTER_MS,
  InFlightCommands,
  STALE_TO_REFUSE,
} from '../../apps/api/src/core/back-pressure';

describe('InFlightCommands', () => {
  let now = 0;
  const clock = () => now;

  beforeEach(() => {
    now = 1_000_000;
  });

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

  it(`refuses while ${STALE_TO_REFUSE} in flight have waited over ${STALE_AFTER_MS} ms, and admits again when they clear`, () => {
    const slots = new InFlightCommands(64, undefined, clock);
    const old = Array.from({ length: STALE_TO_REFUSE }, () => slots.tryEnter()!);
    now += STALE_AFTER_MS - 1;
    expect(slots.tryEnter()).toBeDefined();
    now += 2;
    expect(slots.tryEnter()).toBeUndefined();
    old[0]();
    expect(slots.tryEnter()).toBeDefined();
  });

  it('takes its wait from API_COMMAND_STALE_MS', () => {
    const slots = new InFlightCommands(64, undefined, clock, 200);
    Array.from({ length: STALE_TO_REFUSE }, () => slots.tryEnter());
    now += 201;
    expect(slots.tryEnter()).toBeUndefined();
  });

  it('does not refuse for one slow command among quick ones', () => {
    const slots = new InFlightCommands(64, undefined, clock);
    slots.tryEnter();
    now += 10 * STALE_AFTER_MS;
    const quick = Array.from({ length: 10 }, () => slots.tryEnter());
    expect(quick.every(Boolean)).toBe(true);
    now += STALE_AFTER_MS / 2;
    expect(slots.tryEnter()).toBeDefined();
  });
});

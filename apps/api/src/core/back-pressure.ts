// Back-pressure (issue 14, item 8): a pathway start or a command is admitted only while the work in flight can be
// done within API_COMMAND_WAIT_MS (750 ms) at the pace this API process is finishing commands now; otherwise the answer is a 503
// with Retry-After at once, instead of queueing requests that would wait tens of seconds for a stack already at its
// limit: a client can tell "busy, try again" from a fault, and the requests already in flight keep their pace.
// A process that has refused nothing for CALM_AFTER_MS allows API_COMMAND_CALM_WAIT_MS (1,500 ms) instead: a stack
// keeping up with its load rides out a pause of a second (a collection, a checkpoint) without refusing anyone, and the
// first refusal of a real overload brings back the shorter wait, which keeps every answer within 2 s.
//
// The slot is taken after the guards (apps/api/src/app.module.ts), by BackPressureInterceptor
// (back-pressure-interceptor.ts): a request without a good token is answered 401, one the person's roles may not make
// 403, one past their rate limit 429, whatever is in flight. A rule a service decides once it has read the task or the
// body (actor.ts's `authorize`) is decided after the slot is taken, and the body (at most 1 MB) has been read by then.

/** In-flight starts and commands per API process when API_MAX_IN_FLIGHT_COMMANDS is unset: a ceiling. */
export const DEFAULT_MAX_IN_FLIGHT_COMMANDS = 64;

/**
 * The wait an admitted command may expect (API_COMMAND_WAIT_MS when unset). By Little's law the commands in flight
 * are the pace at which they finish times the time each spends in flight, so the process admits at most
 * pace × this wait: on the benchmark machine about 16–20 at once, more on a faster one, with no count to tune per
 * machine. 750 ms leaves room within the 2 s an answer may take under overload; 1,000 let a few answers take longer,
 * 500 refused more starts the stack would have managed (docs/PERFORMANCE.md, "Overload").
 */
export const DEFAULT_COMMAND_WAIT_MS = 750;

/**
 * The wait allowed while the process is calm (API_COMMAND_CALM_WAIT_MS when unset): nothing refused for CALM_AFTER_MS.
 * At 20 starts a second on the benchmark machine the shorter wait admitted 16 and refused 75 of 6,000 starts in five
 * minutes, in bursts of a second or two, which the stack then answered well within 2 s (docs/PERFORMANCE.md,
 * "Paced admission").
 */
export const DEFAULT_CALM_WAIT_MS = 1500;

/** How long after its last refusal the process keeps to API_COMMAND_WAIT_MS. */
export const CALM_AFTER_MS = 10_000;

/**
 * Always admitted (API_MIN_IN_FLIGHT_COMMANDS when unset), however slow the recent pace (capped by the ceiling): a
 * quiet process has no pace to go by, and a stalled one (Temporal frozen) holds this many until their own deadlines
 * answer them, and refuses the rest at once. It stays after a refusal: a floor of 4 then spiralled
 * (docs/PERFORMANCE.md, "The whole suite in one run").
 */
export const MIN_IN_FLIGHT_COMMANDS = 16;

/** The pace is the commands finished in the last PACE_WINDOW_MS, counted in buckets of PACE_BUCKET_MS. */
export const PACE_WINDOW_MS = 5000;
const PACE_BUCKET_MS = 250;
const PACE_BUCKETS = PACE_WINDOW_MS / PACE_BUCKET_MS;

/** Seconds an overloaded API asks a client to wait: the work in flight clears within about a second. */
export const OVERLOADED_RETRY_AFTER_SECONDS = 1;

/**
 * The routes that start a workflow or send it an Update: POST /pathways, …/events, …/closure/confirm|reject,
 * …/reopen, …/playbook-migration, /tasks/:id/…, …/resolve.
 */
const COMMAND_ROUTE =
  /^\/(pathways(\/[^/]+\/(events|playbook-migration|reopen|closure\/(confirm|reject)))?|tasks\/[^/]+\/[a-z]+|escalations\/[^/]+\/resolve)\/?$/;

export function isCommandRoute(method: string, path: string): boolean {
  return method === 'POST' && COMMAND_ROUTE.test(path);
}

/** The settings of InFlightCommands; every one but the ceiling has its default above. */
export interface InFlightSettings {
  /** API_MAX_IN_FLIGHT_COMMANDS. */
  ceiling: number;
  /** API_COMMAND_WAIT_MS. */
  waitMs?: number;
  /** API_COMMAND_CALM_WAIT_MS; never below waitMs. */
  calmWaitMs?: number;
  /** API_MIN_IN_FLIGHT_COMMANDS. */
  floor?: number;
  onRefused?: () => void;
  now?: () => number;
}

/** The commands in flight, shared by the interceptor and /metrics (apps/api/src/observability). */
export class InFlightCommands {
  current = 0;
  readonly ceiling: number;
  readonly waitMs: number;
  readonly calmWaitMs: number;
  readonly floor: number;
  /** Commands finished per bucket of PACE_BUCKET_MS, a ring; `bucket` is the number of the newest bucket. */
  private readonly finished = new Array<number>(PACE_BUCKETS).fill(0);
  private bucket = -1;
  private lastRefusedAt = -Infinity;
  private readonly onRefused: () => void;
  private readonly now: () => number;

  constructor(settings: InFlightSettings) {
    this.ceiling = settings.ceiling;
    this.waitMs = settings.waitMs ?? DEFAULT_COMMAND_WAIT_MS;
    this.calmWaitMs = Math.max(this.waitMs, settings.calmWaitMs ?? DEFAULT_CALM_WAIT_MS);
    this.floor = settings.floor ?? MIN_IN_FLIGHT_COMMANDS;
    this.onRefused = settings.onRefused ?? (() => undefined);
    this.now = settings.now ?? Date.now;
  }

  /** True while nothing has been refused for CALM_AFTER_MS: the longer wait applies. */
  get calm(): boolean {
    return this.now() - this.lastRefusedAt >= CALM_AFTER_MS;
  }

  /** Commands finished a second, over the last PACE_WINDOW_MS. */
  pace(): number {
    this.advance();
    return (this.finished.reduce((sum, n) => sum + n, 0) * 1000) / PACE_WINDOW_MS;
  }

  /** How many may be in flight now: the pace × the wait (calm, or the one after a refusal), within [floor, ceiling]. */
  get limit(): number {
    const paced = Math.ceil((this.pace() * (this.calm ? this.calmWaitMs : this.waitMs)) / 1000);
    return Math.min(this.ceiling, Math.max(this.floor, paced));
  }

  /** Takes a slot and answers the function that gives it back, or undefined when refused. */
  tryEnter(): (() => void) | undefined {
    if (this.current >= this.limit) {
      this.lastRefusedAt = this.now();
      this.onRefused();
      return undefined;
    }
    this.current++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.current = Math.max(0, this.current - 1);
      this.advance();
      this.finished[this.bucket % PACE_BUCKETS]++;
    };
  }

  /** Moves the ring to the current bucket, emptying the buckets that fell out of the window. */
  private advance(): void {
    const bucket = Math.floor(this.now() / PACE_BUCKET_MS);
    if (this.bucket < 0 || bucket - this.bucket >= PACE_BUCKETS) {
      this.finished.fill(0);
    } else {
      for (let b = this.bucket + 1; b <= bucket; b++) this.finished[b % PACE_BUCKETS] = 0;
    }
    this.bucket = Math.max(this.bucket, bucket);
  }
}

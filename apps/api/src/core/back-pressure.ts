// Back-pressure (issue 14, item 8): at most a fixed number of pathway starts and commands are in flight in one API
// process, and none is admitted while several of those in flight have waited over a second (the stack is falling
// behind). Otherwise the answer is a 503 with Retry-After at once, instead of queueing requests that would wait
// tens of seconds for a Temporal server already at its limit: a client can tell "busy, try again" from a fault,
// and the requests already in flight keep their pace.
import type { NextFunction, Request, Response } from 'express';

/**
 * In-flight starts and commands per API process when API_MAX_IN_FLIGHT_COMMANDS is unset: a ceiling. What keeps the
 * wait of an admitted one short is the rule below (API_COMMAND_STALE_MS), which follows the stack's own pace.
 */
export const DEFAULT_MAX_IN_FLIGHT_COMMANDS = 64;

/**
 * When STALE_TO_REFUSE of the commands in flight have waited longer than API_COMMAND_STALE_MS (this default), the
 * stack is not keeping up: new ones are refused at once until they clear. A fixed count cannot do this alone, as the
 * count that means "a second's wait" is the rate the stack sustains × 1 s, which depends on the machine and its load:
 * on the benchmark machine 64 let admitted starts wait 10 s, and 16 refused starts at a rate it otherwise held
 * (docs/PERFORMANCE.md, "Overload"). One slow command alone (a large migration) refuses nothing.
 */
export const DEFAULT_STALE_AFTER_MS = 1000;
export const STALE_TO_REFUSE = 4;

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

/** The commands in flight, shared by the middleware and /metrics (apps/api/src/observability). */
export class InFlightCommands {
  current = 0;
  /** When each command in flight was admitted, oldest first (a Map keeps insertion order). */
  private readonly admitted = new Map<number, number>();
  private tickets = 0;

  constructor(
    readonly limit: number,
    private readonly onRefused: () => void = () => undefined,
    private readonly now: () => number = Date.now,
    /** API_COMMAND_STALE_MS. */
    readonly staleAfterMs = DEFAULT_STALE_AFTER_MS,
  ) {}

  /** Takes a slot and answers the function that gives it back, or undefined when refused (full, or falling behind). */
  tryEnter(): (() => void) | undefined {
    if (this.current >= this.limit || this.fallingBehind()) {
      this.onRefused();
      return undefined;
    }
    const ticket = this.tickets++;
    this.admitted.set(ticket, this.now());
    this.current++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.admitted.delete(ticket);
      this.current = Math.max(0, this.current - 1);
    };
  }

  /** Whether STALE_TO_REFUSE of those in flight have waited longer than `staleAfterMs` (the oldest come first). */
  private fallingBehind(): boolean {
    if (this.current < STALE_TO_REFUSE) return false;
    const staleBefore = this.now() - this.staleAfterMs;
    let stale = 0;
    for (const at of this.admitted.values()) {
      if (at > staleBefore) return false;
      if (++stale >= STALE_TO_REFUSE) return true;
    }
    return false;
  }
}

/** Express middleware: a slot per command request, given back when the answer is sent or the client goes away. */
export function backPressure(slots: InFlightCommands) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!isCommandRoute(req.method, req.path)) return next();
    const leave = slots.tryEnter();
    if (!leave) {
      res.setHeader('Retry-After', String(OVERLOADED_RETRY_AFTER_SECONDS));
      res.status(503).json({
        statusCode: 503,
        error: 'Service Unavailable',
        code: 'OVERLOADED',
        message: 'too many commands are being processed; try again in a moment',
      });
      return;
    }
    res.once('finish', leave);
    res.once('close', leave);
    next();
  };
}

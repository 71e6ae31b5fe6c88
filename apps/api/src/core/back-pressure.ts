// Back-pressure (issue 14, item 8): at most a fixed number of pathway starts and commands are in flight in one API
// process. Beyond it the answer is a 503 with Retry-After at once, instead of queueing requests that would wait
// tens of seconds for a Temporal server already at its limit: a client can tell "busy, try again" from a fault,
// and the requests already in flight keep their pace.
import type { NextFunction, Request, Response } from 'express';

/**
 * In-flight starts and commands per API process when API_MAX_IN_FLIGHT_COMMANDS is unset. Each one admitted waits
 * behind the others, so the limit bounds the wait: about the rate the stack sustains × the answer time allowed
 * (docs/PERFORMANCE.md, "Overload"). On the benchmark machine (2 cores, about 8 starts/s) 16 answered every request
 * of an overload at 3 × that rate within 2 s (201 or 503); 64 let admitted starts wait up to 10 s and more.
 */
export const DEFAULT_MAX_IN_FLIGHT_COMMANDS = 16;

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

/** A counter of commands in flight, shared by the middleware and /metrics (apps/api/src/observability). */
export class InFlightCommands {
  current = 0;

  constructor(
    readonly limit: number,
    private readonly onRefused: () => void = () => undefined,
  ) {}

  /** Takes a slot, or answers false when every slot is taken. */
  tryEnter(): boolean {
    if (this.current >= this.limit) {
      this.onRefused();
      return false;
    }
    this.current++;
    return true;
  }

  leave(): void {
    this.current = Math.max(0, this.current - 1);
  }
}

/** Express middleware: a slot per command request, given back when the answer is sent or the client goes away. */
export function backPressure(slots: InFlightCommands) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!isCommandRoute(req.method, req.path)) return next();
    if (!slots.tryEnter()) {
      res.setHeader('Retry-After', String(OVERLOADED_RETRY_AFTER_SECONDS));
      res.status(503).json({
        statusCode: 503,
        error: 'Service Unavailable',
        code: 'OVERLOADED',
        message: 'too many commands are being processed; try again in a moment',
      });
      return;
    }
    let left = false;
    const leave = () => {
      if (left) return;
      left = true;
      slots.leave();
    };
    res.once('finish', leave);
    res.once('close', leave);
    next();
  };
}

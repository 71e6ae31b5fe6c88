// Keeps one child process of the dev stack running (scripts/stack.ts): a child that exits without being asked to is
// started again after a backoff that doubles with every crash in a row (1 s, 2 s, 4 s, … up to 30 s) and starts
// over once the child has run for a minute. Each restart is logged with why the child went. Only stop() ends it.
import type { ChildProcess } from 'node:child_process';

export interface SupervisorOptions {
  name: string;
  /** Starts the child (and wires its output); called again for every restart. */
  spawn: () => ChildProcess;
  log: (line: string) => void;
  /** A child that cannot be started at all (ENOENT, EACCES): retrying will not help. */
  onFatal: (reason: string) => void;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** A child that ran this long counts as healthy again: its next crash waits the initial backoff. */
  stableAfterMs?: number;
}

export const DEFAULT_BACKOFF = { initialMs: 1000, maxMs: 30_000, stableAfterMs: 60_000 };

export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `killed by ${signal}` : `exit code ${code}`;
}

/** The wait before restart number `crashesInARow` (1, 2, …). */
export function backoffMs(crashesInARow: number, initialMs: number, maxMs: number): number {
  return Math.min(maxMs, initialMs * 2 ** Math.max(0, crashesInARow - 1));
}

export class Supervisor {
  /** The child now running (or the last one, while waiting to restart). */
  current!: ChildProcess;
  /** Restarts so far. */
  restarts = 0;
  private crashesInARow = 0;
  private startedAt = 0;
  private stopping = false;
  private timer: NodeJS.Timeout | undefined;
  private currentExited!: Promise<void>;
  private resolveDone!: () => void;
  /** Resolves once stop() was asked for and the child has exited (or failed for good). */
  readonly done = new Promise<void>((resolve) => (this.resolveDone = resolve));

  constructor(private readonly options: SupervisorOptions) {
    this.launch();
  }

  get stopRequested(): boolean {
    return this.stopping;
  }

  private launch(): void {
    const child = this.options.spawn();
    this.current = child;
    this.startedAt = Date.now();
    this.currentExited = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        resolve();
        this.exited(describeExit(code, signal));
      });
      // A failed spawn emits 'error' and no 'exit'.
      child.on('error', (error) => {
        if (child.pid !== undefined) return;
        resolve();
        this.stopping = true;
        this.options.onFatal(`${this.options.name} could not be started: ${error.message}`);
        this.resolveDone();
      });
    });
  }

  private exited(why: string): void {
    if (this.stopping) return this.resolveDone();
    const { initialBackoffMs, maxBackoffMs, stableAfterMs } = this.options;
    const initial = initialBackoffMs ?? DEFAULT_BACKOFF.initialMs;
    if (Date.now() - this.startedAt >= (stableAfterMs ?? DEFAULT_BACKOFF.stableAfterMs)) this.crashesInARow = 0;
    this.crashesInARow++;
    const wait = backoffMs(this.crashesInARow, initial, maxBackoffMs ?? DEFAULT_BACKOFF.maxMs);
    this.options.log(
      `${this.options.name} exited unexpectedly (${why}); restarting in ${wait / 1000}s` +
        (this.crashesInARow > 1 ? ` (crash ${this.crashesInARow} in a row)` : ''),
    );
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.stopping) return this.resolveDone();
      this.restarts++;
      this.launch();
    }, wait);
  }

  /**
   * Stops the child for good: SIGTERM, then SIGKILL after `timeoutMs`. A restart that was waiting is called off.
   * Answers false when the child had to be killed.
   */
  async stop(timeoutMs: number): Promise<boolean> {
    this.stopping = true;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.resolveDone();
      return true;
    }
    const child = this.current;
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) {
      this.resolveDone();
      return true;
    }
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), timeoutMs)));
    const killed = await Promise.race([this.currentExited.then(() => false), timedOut]);
    if (killed) child.kill('SIGKILL');
    clearTimeout(timer);
    await this.currentExited;
    this.resolveDone();
    return !killed;
  }
}

// The dev stack's supervisor (scripts/dev-stack/supervisor.ts) with small fake children: a child killed from outside
// comes back after its backoff, crashes in a row wait longer each time, each restart says why, and only stop() (the
// stack's Ctrl-C) ends it.
import { spawn } from 'node:child_process';
import { Supervisor, backoffMs } from '../../scripts/dev-stack/supervisor';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A fake child: runs until killed (`forever`), or exits at once with code 3. */
function fake(kind: 'forever' | 'crash') {
  const script = kind === 'forever' ? 'setInterval(() => {}, 1000)' : 'process.exit(3)';
  return () => spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
}

async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('the dev stack supervisor', () => {
  const supervisors: Supervisor[] = [];
  afterEach(async () => {
    await Promise.all(supervisors.splice(0).map((s) => s.stop(2000)));
  });

  function supervise(kind: 'forever' | 'crash' | 'missing', log: string[], fatal: string[] = []) {
    const supervisor = new Supervisor({
      name: 'worker',
      spawn: kind === 'missing' ? () => spawn('/nonexistent/worker', [], { stdio: 'ignore' }) : fake(kind),
      log: (line) => log.push(line),
      onFatal: (reason) => fatal.push(reason),
      initialBackoffMs: 50,
      maxBackoffMs: 400,
      stableAfterMs: 60_000,
    });
    supervisors.push(supervisor);
    return supervisor;
  }

  it('the worker killed from outside comes back, and the log says why', async () => {
    const log: string[] = [];
    const supervisor = supervise('forever', log);
    await until('the first child', () => supervisor.current.pid !== undefined);
    const first = supervisor.current.pid;
    process.kill(first!, 'SIGKILL');
    await until('a restart', () => supervisor.restarts === 1 && supervisor.current.pid !== first);
    expect(supervisor.current.exitCode).toBeNull();
    expect(log).toEqual(['worker exited unexpectedly (killed by SIGKILL); restarting in 0.05s']);
  });

  it('crashes in a row wait twice as long each time, up to the maximum', async () => {
    const log: string[] = [];
    const supervisor = supervise('crash', log);
    await until('four crashes', () => log.length >= 5);
    await supervisor.stop(1000);
    expect(log.slice(0, 5)).toEqual([
      'worker exited unexpectedly (exit code 3); restarting in 0.05s',
      'worker exited unexpectedly (exit code 3); restarting in 0.1s (crash 2 in a row)',
      'worker exited unexpectedly (exit code 3); restarting in 0.2s (crash 3 in a row)',
      'worker exited unexpectedly (exit code 3); restarting in 0.4s (crash 4 in a row)',
      'worker exited unexpectedly (exit code 3); restarting in 0.4s (crash 5 in a row)',
    ]);
    expect(backoffMs(1, 1000, 30_000)).toBe(1000);
    expect(backoffMs(6, 1000, 30_000)).toBe(30_000);
  });

  it('stop() ends it for good: no restart, also when a restart was waiting', async () => {
    const log: string[] = [];
    const supervisor = supervise('forever', log);
    await until('the child', () => supervisor.current.pid !== undefined);
    const child = supervisor.current;
    expect(await supervisor.stop(2000)).toBe(true);
    expect(child.signalCode).toBe('SIGTERM');
    await sleep(200);
    expect(supervisor.restarts).toBe(0);
    expect(log).toEqual([]);
    await supervisor.done;

    const crashing = supervise('crash', []);
    await until('a waiting restart', () => crashing.current.exitCode !== null);
    await crashing.stop(1000);
    const restarts = crashing.restarts;
    await sleep(300);
    expect(crashing.restarts).toBe(restarts);
  });

  it('a child that cannot be started at all stops the stack instead of retrying', async () => {
    const log: string[] = [];
    const fatal: string[] = [];
    const supervisor = supervise('missing', log, fatal);
    await supervisor.done;
    expect(fatal).toEqual([expect.stringMatching(/^worker could not be started: spawn \/nonexistent\/worker ENOENT/)]);
    expect(log).toEqual([]);
    expect(supervisor.restarts).toBe(0);
  });
});

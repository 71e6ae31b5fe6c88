// Cold replay cost of a pathway (npm run bench:replay): what a worker pays when a pathway is not in its cache and
// its whole history is replayed before the next command. Replays every committed history in
// test/fixtures/histories ROUNDS times, each replay a fresh workflow (a cache miss), and reports ms per history event
// and the history length that replays within the budget (0.5 s, issue 14). The workflow's continue-as-new threshold
// (DEFAULT_MAX_HISTORY_EVENTS in workflows/pathway/workflow.ts) is set from this figure; docs/PERFORMANCE.md has the
// run. Needs a quiet machine: under load every figure here is the load's.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { DefaultLogger, Runtime, Worker, bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOW_INTERCEPTOR_MODULES } from '../apps/worker/src/workflow-interceptors';
import { FAILURE_CONVERTER_PATH } from '../libs/temporal/src/client';
import { fixtureCodec, historyFiles } from '../test/support/fixture-key';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const BUDGET_MS = Number(process.env.BENCH_REPLAY_BUDGET_MS ?? 500);
const DIR = path.join(__dirname, '..', 'test', 'fixtures', 'histories');

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows'),
    workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
    failureConverterPath: FAILURE_CONVERTER_PATH,
    logger: new DefaultLogger('WARN'),
  });
  const options = {
    workflowBundle: { code },
    dataConverter: { payloadCodecs: [fixtureCodec(DIR)] },
  };
  const histories = historyFiles(DIR).map((file) => ({
    file,
    history: historyFromJSON(JSON.parse(readFileSync(path.join(DIR, file), 'utf8'))),
  }));
  // One replay worker for every replay, so its own start (isolate, bundle) is not counted; each history is a new
  // workflow to it (a cache miss). The first replay warms it up and is not counted either.
  const queue = [
    { workflowId: 'warm-up', history: histories[0].history },
    ...histories.flatMap(({ file, history }) =>
      Array.from({ length: ROUNDS }, (_, round) => ({ workflowId: `${file}#${round}`, history })),
    ),
  ];
  const times = new Map<string, number[]>();
  let last = process.hrtime.bigint();
  for await (const result of Worker.runReplayHistories(options, queue)) {
    const now = process.hrtime.bigint();
    if (result.error) throw result.error;
    const [file] = result.workflowId.split('#');
    if (result.workflowId !== 'warm-up') times.set(file, [...(times.get(file) ?? []), Number(now - last) / 1e6]);
    last = now;
  }

  let events = 0;
  let ms = 0;
  console.log('history                                   events   ms/replay (median)   ms/event');
  for (const { file, history } of histories) {
    const n = history.events?.length ?? 0;
    const sorted = [...(times.get(file) ?? [])].sort((x, y) => x - y);
    const median = sorted[Math.floor(sorted.length / 2)];
    events += n;
    ms += median;
    console.log(
      `${file.padEnd(40)} ${String(n).padStart(7)}   ${median.toFixed(1).padStart(10)}   ${(median / n).toFixed(3)}`,
    );
  }
  const perEvent = ms / events;
  console.log(`\nall: ${events} events, ${perEvent.toFixed(3)} ms/event (replay worker ${ROUNDS} rounds, median each)`);
  console.log(
    `a cold replay within ${BUDGET_MS} ms: at most ${Math.floor(BUDGET_MS / perEvent)} events ` +
      `(continue-as-new threshold with a 2× margin for a loaded worker: ${Math.floor(BUDGET_MS / perEvent / 2)})`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

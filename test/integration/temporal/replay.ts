// Every committed history must replay on today's workflow code: a change that would break running pathways
// fails here (use patching to change workflow behaviour). A history recorded since per-person keys is encrypted
// with its pathway's person key, which the recording saved beside it, wrapped by the fixture master key, as
// `<name>.keys.json`: the replay unwraps those keys and never makes one.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker, type ReplayResult } from '@temporalio/worker';
import { fixtureCodec, historyFiles } from '../../support/fixture-key';
import { sharedTestEnv } from '../../support/shared-env';

const DIR = path.join(__dirname, '..', '..', 'fixtures', 'histories');
const files = historyFiles(DIR);

describe('replay of committed histories', () => {
  // One replay worker for every fixture: it loads the workflow bundle once instead of once per history. Each
  // history's verdict is still its own test below.
  const results = new Map<string, ReplayResult>();
  beforeAll(async () => {
    const histories = files.map((file) => ({
      workflowId: `replay-${file}`,
      history: historyFromJSON(JSON.parse(readFileSync(path.join(DIR, file), 'utf8'))),
    }));
    const replays = Worker.runReplayHistories(
      {
        workflowBundle: { codePath: sharedTestEnv().workflowBundlePath },
        dataConverter: { payloadCodecs: [fixtureCodec(DIR)] },
      },
      histories,
    );
    for await (const result of replays) results.set(result.workflowId, result);
  });

  it('has histories to replay', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'foundation-contact-to-assessment.json',
        'contact-to-assessment.json',
        'exit-full-path.json',
        'prevention-turns-18.json',
        'continue-as-new-first-run.json',
        'second-session-rules.json',
        'machine-shell.json',
        'playbook-v2-custody.json',
        'v3-charged-adhoc-suggested-hold.json',
        'playbook-pinned-through-api.json',
        'continue-as-new-to-pinned.json',
        'meeting-priority-close.json',
      ]),
    );
  });

  it.each(files)('%s replays without nondeterminism', (file) => {
    const history = historyFromJSON(JSON.parse(readFileSync(path.join(DIR, file), 'utf8')));
    // The fixture is a real path, not an empty shell: commands went through it.
    const updates = history.events?.filter((e) => e.workflowExecutionUpdateCompletedEventAttributes) ?? [];
    expect(updates.length).toBeGreaterThanOrEqual(4);
    const result = results.get(`replay-${file}`);
    expect(result).toBeDefined();
    // What Worker.runReplayHistory would throw: a DeterminismViolationError, or a ReplayError for any other failure.
    if (result!.error) throw result!.error;
  });
});

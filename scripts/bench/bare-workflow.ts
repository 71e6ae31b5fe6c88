// The bare-Temporal baseline of `npm run bench` (scripts/bench.ts): a workflow that starts and runs one activity
// writing one row, on the same dev server as the pathways, so their rate can be read as a ratio of this one.
import { proxyActivities } from '@temporalio/workflow';
import type { BareActivities } from './bare-activities';

const { writeRow } = proxyActivities<BareActivities>({ startToCloseTimeout: '30 seconds' });

export async function bareWorkflow(id: string): Promise<void> {
  await writeRow(id);
}

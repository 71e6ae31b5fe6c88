// The bare-Temporal baseline of npm run bench (scripts/bench.ts): a workflow that starts and runs one activity
// writing one row, on the same Temporal server as the pathways. Nothing of the application.
import { proxyActivities } from '@temporalio/workflow';

const { writeRow } = proxyActivities<{ writeRow(id: string): Promise<void> }>({ startToCloseTimeout: '30 seconds' });

export async function bareWorkflow(id: string): Promise<void> {
  await writeRow(id);
}

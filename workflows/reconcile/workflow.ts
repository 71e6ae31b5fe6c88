// Reconciliation of the read model with the pathway workflows (issue 14, item 5): one activity does the comparing
// and repairing (activities/reconcile.activities.ts); this workflow gives it a schedule (the worker creates a Temporal
// Schedule that starts it) and a durable run for POST /admin/reconciliation.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { ReconciliationSummary } from '../../activities/reconcile.activities';

const { reconcilePathways } = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumAttempts: 3 },
});

export const RECONCILE_WORKFLOW_TYPE = 'reconcileWorkflow';

export async function reconcileWorkflow(trigger: 'SCHEDULE' | 'ADMIN' = 'SCHEDULE'): Promise<ReconciliationSummary> {
  return reconcilePathways(trigger);
}

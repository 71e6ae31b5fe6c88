// POST /admin/reconciliation: runs reconcileWorkflow (workflows/reconcile) now, on the worker, and answers with what
// it found. The same workflow runs on the worker's schedule; the comparing and repairing is the activity's
// (activities/reconcile.activities.ts).
import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { ApiConfig } from '../config';
import { API_CONFIG, TEMPORAL_CLIENT } from '../core/tokens';
import { RETRY_AFTER_SECONDS, RetryLaterException } from '../core/unavailable';
import { WorkflowCommands } from '../core/workflow-commands';
import type { ReconciliationView } from './reconciliation.dto';

/** A run queries every open pathway: minutes for many thousands; the answer waits this long at most. */
const RUN_DEADLINE_MS = 10 * 60_000;

@Injectable()
export class ReconciliationService {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly commands: WorkflowCommands,
  ) {}

  async run(): Promise<ReconciliationView> {
    // No worker polls: the run would wait for one. Say so at once instead.
    const { pollers } = await this.commands.withDeadline(() =>
      this.temporal.workflowService.describeTaskQueue({
        namespace: this.temporal.options.namespace,
        taskQueue: { name: this.config.temporal.taskQueue },
        taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      }),
    );
    if (!pollers || pollers.length === 0) {
      throw new RetryLaterException(
        { code: 'WORKER_UNAVAILABLE', message: 'no worker is running to reconcile; try again in a moment' },
        RETRY_AFTER_SECONDS,
      );
    }
    return this.temporal.withDeadline(Date.now() + RUN_DEADLINE_MS, () =>
      this.temporal.workflow.execute('reconcileWorkflow', {
        workflowId: `reconcile-admin-${randomUUID()}`,
        taskQueue: this.config.temporal.taskQueue,
        args: ['ADMIN'],
      }),
    );
  }
}

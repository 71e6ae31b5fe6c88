// Named activity option profiles (docs/ARCHITECTURE.md, "Conventions").
import type { ActivityOptions, LocalActivityOptions } from '@temporalio/workflow';

/** Read-model writes: they must happen eventually, so they retry without an attempt limit. */
export const dbWrite: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
};

/**
 * Loading the pinned playbook (a local activity: it runs in the worker that runs the workflow task, and its result,
 * the document, is recorded in history once per run). A database outage is waited out without an attempt limit; a
 * version that is not published or does not hash to its pin fails non-retryably (activities/playbook.activities.ts).
 */
export const playbookRead: LocalActivityOptions = {
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
};

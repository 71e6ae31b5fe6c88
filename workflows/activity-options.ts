// Named activity option profiles (docs/ARCHITECTURE.md, "Conventions").
import type { ActivityOptions } from '@temporalio/workflow';

/** Read-model writes: they must happen eventually, so they retry without an attempt limit. */
export const dbWrite: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
};

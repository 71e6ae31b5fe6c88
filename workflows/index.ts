// The workflows the worker registers; the worker's bundler starts here.
export { pathwayWorkflow } from './pathway/workflow';
export { retentionWorkflow } from './retention/workflow';
export { reconcileWorkflow } from './reconcile/workflow';

// The worker's configuration: one validated read of the environment at boot.
import { temporalConfigFromEnv, type TemporalConfig } from '../../../libs/temporal/src';

export interface WorkerConfig {
  databaseUrl: string;
  temporal: TemporalConfig;
  /** A prebuilt workflow bundle (tests build one per run); otherwise the worker bundles workflows/ itself. */
  workflowBundlePath?: string;
}

export function workerConfigFromEnv(env: NodeJS.ProcessEnv): WorkerConfig {
  if (!env.DATABASE_URL) throw new Error('DATABASE_URL is required');
  return {
    databaseUrl: env.DATABASE_URL,
    temporal: temporalConfigFromEnv(env),
    workflowBundlePath: env.WORKFLOW_BUNDLE_PATH || undefined,
  };
}

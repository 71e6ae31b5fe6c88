// Temporal settings shared by the API and the worker, read from the environment once at boot.
import { parsePayloadKeys, type PayloadKeys } from './codec';

export interface TemporalConfig {
  address: string;
  namespace: string;
  taskQueue: string;
  payloadKeys: PayloadKeys;
}

export function temporalConfigFromEnv(env: NodeJS.ProcessEnv): TemporalConfig {
  const address = env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
  if (!/^[A-Za-z0-9.-]+:\d{1,5}$/.test(address)) throw new Error('TEMPORAL_ADDRESS must be host:port');
  const namespace = env.TEMPORAL_NAMESPACE ?? 'exit-pathways';
  const taskQueue = env.TEMPORAL_TASK_QUEUE ?? 'pathways';
  for (const [name, value] of [
    ['TEMPORAL_NAMESPACE', namespace],
    ['TEMPORAL_TASK_QUEUE', taskQueue],
  ]) {
    if (!/^[A-Za-z0-9._-]{1,100}$/.test(value)) throw new Error(`${name} must be letters, digits, dots, dashes`);
  }
  return {
    address,
    namespace,
    taskQueue,
    payloadKeys: parsePayloadKeys(env.PAYLOAD_KEYS, env.PAYLOAD_ACTIVE_KEY_ID),
  };
}

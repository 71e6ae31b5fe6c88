// The Temporal client with our payload codec; the worker uses the same data converter.
import { Client, Connection, type WorkflowClientInterceptor } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { AesGcmPayloadCodec } from './codec';
import type { TemporalConfig } from './config';

export function dataConverter(config: TemporalConfig): DataConverter {
  return { payloadCodecs: [new AesGcmPayloadCodec(config.payloadKeys)] };
}

export async function createTemporalClient(
  config: TemporalConfig,
  workflowInterceptors: WorkflowClientInterceptor[] = [],
): Promise<Client> {
  // Lazy: the API starts (and says so on /health) while Temporal is still coming up or briefly away.
  const connection = Connection.lazy({ address: config.address });
  return new Client({
    connection,
    namespace: config.namespace,
    dataConverter: dataConverter(config),
    interceptors: { workflow: workflowInterceptors },
  });
}

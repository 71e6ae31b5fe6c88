// The Temporal client with our payload codec; the worker uses the same data converter.
import { Client, Connection, type WorkflowClientInterceptor } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { AesGcmPayloadCodec } from './codec';
import { connectionTls, type TemporalConfig } from './config';

/** For bundleWorkflowCode's failureConverterPath: a prebuilt workflow bundle must carry the same converter. */
export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

export function dataConverter(config: TemporalConfig): DataConverter {
  return { payloadCodecs: [new AesGcmPayloadCodec(config.payloadKeys)], failureConverterPath: FAILURE_CONVERTER_PATH };
}

export async function createTemporalClient(
  config: TemporalConfig,
  workflowInterceptors: WorkflowClientInterceptor[] = [],
): Promise<Client> {
  // Lazy: the API starts (and says so on /health) while Temporal is still coming up or briefly away.
  const connection = Connection.lazy({ address: config.address, tls: connectionTls(config.tls) });
  return new Client({
    connection,
    namespace: config.namespace,
    dataConverter: dataConverter(config),
    interceptors: { workflow: workflowInterceptors },
  });
}

// The Temporal client with our payload codec; the worker uses the same data converter.
import { Client, Connection, type WorkflowClientInterceptor } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { AesGcmPayloadCodec, type PersonKeyring } from './codec';
import { connectionTls, type TemporalConfig } from './config';

/** For bundleWorkflowCode's failureConverterPath: a prebuilt workflow bundle must carry the same converter. */
export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

/** With a keyring each pathway's payloads are encrypted with its person's key (see ./codec). */
export function dataConverter(config: TemporalConfig, personKeys?: PersonKeyring): DataConverter {
  return {
    payloadCodecs: [new AesGcmPayloadCodec(config.payloadKeys, personKeys)],
    failureConverterPath: FAILURE_CONVERTER_PATH,
  };
}

export async function createTemporalClient(
  config: TemporalConfig,
  workflowInterceptors: WorkflowClientInterceptor[] = [],
  personKeys?: PersonKeyring,
): Promise<Client> {
  // Lazy: the API starts (and says so on /health) while Temporal is still coming up or briefly away.
  const connection = Connection.lazy({ address: config.address, tls: connectionTls(config.tls) });
  return new Client({
    connection,
    namespace: config.namespace,
    dataConverter: dataConverter(config, personKeys),
    interceptors: { workflow: workflowInterceptors },
  });
}

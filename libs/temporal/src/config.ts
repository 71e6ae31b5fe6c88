// Temporal settings shared by the API and the worker, read from the environment once at boot.
import { createHash } from 'node:crypto';
import type { TLSConfig } from '@temporalio/client';
import { readSettingFile } from '../../config/src';
import { parsePayloadKeys, type PayloadKeys } from './codec';

export interface TemporalConfig {
  address: string;
  namespace: string;
  taskQueue: string;
  payloadKeys: PayloadKeys;
  /** TLS to the Temporal frontend, mutual when a client certificate is given; plain gRPC when absent. */
  tls?: TemporalTls;
}

/** The contents of the files TEMPORAL_TLS_CA, TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY name, and the server name. */
export interface TemporalTls {
  /** The CA that signed the server's certificate; the system's CAs when absent. */
  ca?: Buffer;
  /** This client's certificate and key (mTLS): both or neither. */
  cert?: Buffer;
  key?: Buffer;
  /** The name the server's certificate must carry, when it is not the host of TEMPORAL_ADDRESS. */
  serverName?: string;
}

/**
 * sha256 of the committed test histories' key (test/support/fixture-key.ts): public, so it protects nothing, and is
 * refused when NODE_ENV=production.
 */
const KNOWN_TEST_KEY_SHA256 = new Set(['43806f7c5970e081c6cab29406b40451224ec305f78f7ca15b74098680d27133']);

/** Refuses a public test key outside development (the start fails, naming the key id only). */
export function refuseKnownTestKeys(keys: PayloadKeys, env: NodeJS.ProcessEnv): void {
  if (env.NODE_ENV !== 'production') return;
  for (const [id, key] of keys.keys) {
    if (KNOWN_TEST_KEY_SHA256.has(createHash('sha256').update(key).digest('hex'))) {
      throw new Error(`PAYLOAD_KEYS: key '${id}' is the public test key; it is refused when NODE_ENV=production`);
    }
  }
}

/** TLS settings from TEMPORAL_TLS (on/off), TEMPORAL_TLS_CA, _CERT, _KEY (PEM files) and _SERVER_NAME. */
export function temporalTlsFromEnv(env: NodeJS.ProcessEnv): TemporalTls | undefined {
  const files = {
    ca: env.TEMPORAL_TLS_CA || undefined,
    cert: env.TEMPORAL_TLS_CERT || undefined,
    key: env.TEMPORAL_TLS_KEY || undefined,
  };
  const serverName = env.TEMPORAL_TLS_SERVER_NAME || undefined;
  const on = env.TEMPORAL_TLS === undefined || env.TEMPORAL_TLS === '' ? undefined : env.TEMPORAL_TLS;
  if (on !== undefined && on !== 'true' && on !== 'false') throw new Error('TEMPORAL_TLS must be true or false');
  const anySet = Object.values(files).some(Boolean) || serverName !== undefined;
  if (on === 'false') {
    if (anySet) throw new Error('TEMPORAL_TLS=false with TEMPORAL_TLS_* files set: remove one or the other');
    return undefined;
  }
  if (on === undefined && !anySet) return undefined;
  if (Boolean(files.cert) !== Boolean(files.key)) {
    throw new Error('TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together (mutual TLS): set both or neither');
  }
  if (serverName !== undefined && !/^[A-Za-z0-9.-]{1,253}$/.test(serverName)) {
    throw new Error('TEMPORAL_TLS_SERVER_NAME must be a host name');
  }
  return {
    ...(files.ca ? { ca: readSettingFile('TEMPORAL_TLS_CA', files.ca) } : {}),
    ...(files.cert ? { cert: readSettingFile('TEMPORAL_TLS_CERT', files.cert) } : {}),
    ...(files.key ? { key: readSettingFile('TEMPORAL_TLS_KEY', files.key) } : {}),
    ...(serverName ? { serverName } : {}),
  };
}

/** The connection's `tls` option for the client (Connection) and the worker (NativeConnection) alike. */
export function connectionTls(tls: TemporalTls | undefined): TLSConfig | undefined {
  if (!tls) return undefined;
  return {
    ...(tls.serverName ? { serverNameOverride: tls.serverName } : {}),
    ...(tls.ca ? { serverRootCACertificate: tls.ca } : {}),
    ...(tls.cert && tls.key ? { clientCertPair: { crt: tls.cert, key: tls.key } } : {}),
  };
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
  const payloadKeys = parsePayloadKeys(env.PAYLOAD_KEYS, env.PAYLOAD_ACTIVE_KEY_ID);
  refuseKnownTestKeys(payloadKeys, env);
  const tls = temporalTlsFromEnv(env);
  return { address, namespace, taskQueue, payloadKeys, ...(tls ? { tls } : {}) };
}

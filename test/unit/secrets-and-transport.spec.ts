// Secrets and transport settings read at start: X_FILE for any X, TLS/mTLS to Temporal, the public test key refused
// in production, one password per database role.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { withSecretFiles } from '../../libs/config/src';
import { createDataSource, databaseUrlsFromEnv } from '../../libs/persistence/src';
import {
  connectionTls,
  createTemporalClient,
  generatePayloadKey,
  temporalConfigFromEnv,
  temporalTlsFromEnv,
} from '../../libs/temporal/src';
import { FIXTURE_PAYLOAD_KEYS } from '../support/fixture-key';

const dir = mkdtempSync(path.join(tmpdir(), 'exit-secrets-'));
const file = (name: string, content: string): string => {
  const at = path.join(dir, name);
  writeFileSync(at, content);
  return at;
};

describe('X_FILE', () => {
  it('reads the file into X, without its trailing newline', () => {
    const keys = generatePayloadKey('k1');
    const env = withSecretFiles({ PAYLOAD_KEYS_FILE: file('payload-keys', `${keys}\n`), OTHER: 'x' });
    expect(env.PAYLOAD_KEYS).toBe(keys);
    expect(env.OTHER).toBe('x');
    expect(temporalConfigFromEnv(env).payloadKeys.activeKeyId).toBe('k1');
  });

  it('refuses X and X_FILE together, and a file it cannot read, naming the variable and never the value', () => {
    expect(() => withSecretFiles({ PAYLOAD_KEYS: 'k:abc', PAYLOAD_KEYS_FILE: file('a', 'k:def') })).toThrow(
      'set PAYLOAD_KEYS or PAYLOAD_KEYS_FILE, not both',
    );
    expect(() => withSecretFiles({ DATABASE_PASSWORD_FILE: path.join(dir, 'missing') })).toThrow(
      /^DATABASE_PASSWORD_FILE: cannot read .*missing \(ENOENT\)$/,
    );
  });
});

describe('the public test key', () => {
  it('is refused when NODE_ENV=production, naming the key id only', () => {
    const env = { PAYLOAD_KEYS: `${FIXTURE_PAYLOAD_KEYS},${generatePayloadKey('prod')}`, NODE_ENV: 'production' };
    expect(() => temporalConfigFromEnv(env)).toThrow(
      "PAYLOAD_KEYS: key 'fixture' is the public test key; it is refused when NODE_ENV=production",
    );
    expect(() => temporalConfigFromEnv({ ...env, PAYLOAD_KEYS: generatePayloadKey('prod') })).not.toThrow();
    // In development and tests it reads the committed histories.
    expect(temporalConfigFromEnv({ ...env, NODE_ENV: 'test' }).payloadKeys.keys.has('fixture')).toBe(true);
  });
});

describe('TLS to Temporal', () => {
  const ca = file('ca.pem', '-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n');
  const cert = file('client.pem', '-----BEGIN CERTIFICATE-----\nCLIENT\n-----END CERTIFICATE-----\n');
  const key = file('client.key', '-----BEGIN PRIVATE KEY-----\nKEY\n-----END PRIVATE KEY-----\n');

  it('builds the connection’s tls options from the files: CA, client certificate and key (mTLS), server name', () => {
    const tls = temporalTlsFromEnv({
      TEMPORAL_TLS_CA: ca,
      TEMPORAL_TLS_CERT: cert,
      TEMPORAL_TLS_KEY: key,
      TEMPORAL_TLS_SERVER_NAME: 'temporal.exit.internal',
    });
    expect(connectionTls(tls)).toEqual({
      serverNameOverride: 'temporal.exit.internal',
      serverRootCACertificate: Buffer.from('-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n'),
      clientCertPair: {
        crt: Buffer.from('-----BEGIN CERTIFICATE-----\nCLIENT\n-----END CERTIFICATE-----\n'),
        key: Buffer.from('-----BEGIN PRIVATE KEY-----\nKEY\n-----END PRIVATE KEY-----\n'),
      },
    });
  });

  it('passes them to the client’s connection', async () => {
    const config = temporalConfigFromEnv({
      PAYLOAD_KEYS: generatePayloadKey('k1'),
      TEMPORAL_TLS_CA: ca,
      TEMPORAL_TLS_SERVER_NAME: 'temporal.exit.internal',
    });
    const client = await createTemporalClient(config);
    // The SDK turns `tls` into gRPC channel credentials: secure ones, where plain gRPC has insecure ones.
    const secure = (c: unknown) => (c as { options: { credentials: { _isSecure(): boolean } } }).options.credentials;
    expect(secure(client.connection)._isSecure()).toBe(true);
    const plain = await createTemporalClient({ ...config, tls: undefined });
    expect(secure(plain.connection)._isSecure()).toBe(false);
  });

  it('is TLS with the system’s CAs for TEMPORAL_TLS=true, plain without any setting', () => {
    expect(connectionTls(temporalTlsFromEnv({ TEMPORAL_TLS: 'true' }))).toEqual({});
    expect(connectionTls(temporalTlsFromEnv({}))).toBeUndefined();
    expect(temporalConfigFromEnv({ PAYLOAD_KEYS: generatePayloadKey('k1') }).tls).toBeUndefined();
  });

  it('refuses a certificate without its key, a file it cannot read, and a mixed-up on/off', () => {
    expect(() => temporalTlsFromEnv({ TEMPORAL_TLS_CERT: cert })).toThrow(
      'TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together (mutual TLS): set both or neither',
    );
    expect(() => temporalTlsFromEnv({ TEMPORAL_TLS_CA: path.join(dir, 'nope.pem') })).toThrow(
      /^TEMPORAL_TLS_CA: cannot read/,
    );
    expect(() => temporalTlsFromEnv({ TEMPORAL_TLS: 'false', TEMPORAL_TLS_CA: ca })).toThrow(/TEMPORAL_TLS=false/);
    expect(() => temporalTlsFromEnv({ TEMPORAL_TLS: 'yes' })).toThrow('TEMPORAL_TLS must be true or false');
  });
});

describe('database roles', () => {
  it('puts DATABASE_PASSWORD and DATABASE_APP_PASSWORD (from files too) into the URLs, sslmode kept', () => {
    const env = withSecretFiles({
      DATABASE_URL: 'postgres://exit@db.internal:5432/exit_pathways?sslmode=verify-full',
      DATABASE_PASSWORD_FILE: file('owner-password', 'ejer hemmelighed\n'),
      DATABASE_APP_PASSWORD_FILE: file('app-password', 'app/hemmelighed\n'),
      NODE_ENV: 'production',
    });
    expect(databaseUrlsFromEnv(env)).toEqual({
      databaseUrl: 'postgres://exit:ejer%20hemmelighed@db.internal:5432/exit_pathways?sslmode=verify-full',
      databaseAppUrl:
        'postgres://exit_pathways_app:app%2Fhemmelighed@db.internal:5432/exit_pathways?sslmode=verify-full',
    });
  });

  it('refuses one password for both roles in production; allows it in development', () => {
    const env = { DATABASE_URL: 'postgres://exit:same@db:5432/exit', NODE_ENV: 'production' };
    const why =
      "the application's database role needs a password of its own: set DATABASE_APP_PASSWORD (or DATABASE_APP_URL)";
    expect(() => databaseUrlsFromEnv(env)).toThrow(why);
    expect(() =>
      databaseUrlsFromEnv({ ...env, DATABASE_APP_URL: 'postgres://exit_pathways_app:same@db:5432/exit' }),
    ).toThrow(why);
    expect(databaseUrlsFromEnv({ ...env, NODE_ENV: 'development' })).toEqual({
      databaseUrl: 'postgres://exit:same@db:5432/exit',
    });
  });
});

describe('sslmode in a PostgreSQL URL', () => {
  // verify-full demands TLS with a certificate this machine trusts: the test server has none (no TLS at all, or a
  // self-signed snakeoil certificate), so it fails; disable connects in the clear.
  const server = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const withMode = (mode: string) => {
    const url = new URL(server);
    url.searchParams.set('sslmode', mode);
    return url.toString();
  };

  it('is honoured: verify-full demands a trusted TLS certificate, disable connects in the clear', async () => {
    const demanding = createDataSource(withMode('verify-full'), { connectTimeoutMs: 5000 });
    await expect(demanding.initialize()).rejects.toThrow(/does not support SSL|certificate/);
    const plain = createDataSource(withMode('disable'), { connectTimeoutMs: 5000 });
    await plain.initialize();
    try {
      expect(await plain.query('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()')).toEqual([{ ssl: false }]);
    } finally {
      await plain.destroy();
    }
  });
});

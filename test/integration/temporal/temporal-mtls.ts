// Mutual TLS to Temporal with the certificates deploy/tls/make-dev-certs.sh makes (the ones docker-compose.yml mounts).
// `temporal server start-dev` serves plain gRPC only (it has no TLS flags), so the dev server is put behind a TLS
// endpoint here that does what the compose server's frontend does with TEMPORAL_TLS_REQUIRE_CLIENT_AUTH=true: it
// presents server.pem (named `temporal`) and lets in only clients whose certificate the CA signed. The API, the worker
// and the CLI then connect with the same settings compose gives them.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createServer, type Server, type TLSSocket } from 'node:tls';
import { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { parse as parseYaml } from 'yaml';
import { connectionTls, temporalTlsFromEnv } from '../../../libs/temporal/src';
import { sharedTestEnv } from '../../support/shared-env';
import { CONTACT_WORKER, http, pathwayRequest, startStack, type TestStack } from '../../support/stack';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ensureTemporal } = require('../../../scripts/dev-stack/ensure-temporal.js') as { ensureTemporal: () => string };

const SCRIPT = path.resolve(__dirname, '..', '..', '..', 'deploy', 'tls', 'make-dev-certs.sh');

describe('mutual TLS to Temporal with the development certificates', () => {
  let dir: string;
  let otherDir: string;
  let frontend: Server;
  let address: string;
  /** Who got through the TLS endpoint: the subject of each accepted client certificate. */
  const accepted: string[] = [];
  let refused = 0;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'exit-mtls-'));
    otherDir = mkdtempSync(path.join(tmpdir(), 'exit-mtls-other-'));
    execFileSync(SCRIPT, [dir], { stdio: 'pipe' });
    execFileSync(SCRIPT, [otherDir], { stdio: 'pipe' });
    const [host, port] = sharedTestEnv().temporalAddress.split(':');
    frontend = createServer(
      {
        cert: readFileSync(path.join(dir, 'server.pem')),
        key: readFileSync(path.join(dir, 'server.key')),
        ca: readFileSync(path.join(dir, 'ca.pem')),
        requestCert: true,
        rejectUnauthorized: true,
        ALPNProtocols: ['h2'],
      },
      (socket: TLSSocket) => {
        accepted.push(String(socket.getPeerCertificate().subject?.CN));
        const upstream = createConnection({ host, port: Number(port) });
        socket.pipe(upstream);
        upstream.pipe(socket);
        const end = () => {
          socket.destroy();
          upstream.destroy();
        };
        socket.on('error', end).on('close', end);
        upstream.on('error', end).on('close', end);
      },
    );
    frontend.on('tlsClientError', () => (refused += 1));
    await new Promise<void>((resolve) => frontend.listen(0, '127.0.0.1', resolve));
    address = `127.0.0.1:${(frontend.address() as { port: number }).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => frontend.close(resolve));
    rmSync(dir, { recursive: true, force: true });
    rmSync(otherDir, { recursive: true, force: true });
  });

  /** The settings compose gives the api and the worker, with the files of `folder`. */
  const composeTls = (folder: string, files: ('ca' | 'cert')[] = ['ca', 'cert'], serverName = 'temporal') =>
    temporalTlsFromEnv({
      ...(files.includes('ca') ? { TEMPORAL_TLS_CA: path.join(folder, 'ca.pem') } : {}),
      ...(files.includes('cert')
        ? { TEMPORAL_TLS_CERT: path.join(folder, 'client.pem'), TEMPORAL_TLS_KEY: path.join(folder, 'client.key') }
        : {}),
      TEMPORAL_TLS_SERVER_NAME: serverName,
    });

  describe('the API and the worker', () => {
    let stack: TestStack;
    beforeAll(async () => {
      stack = await startStack({ temporal: { address, tls: composeTls(dir) } });
    });
    afterAll(async () => {
      await stack?.stop();
    });

    it('run a pathway over mutual TLS with the client certificate: created, its task completed', async () => {
      const created = await http(stack, 'POST', '/pathways', pathwayRequest({ name: 'Mads Mtls', age: 16 }), {
        as: 'lokalpoliti-sagsbehandler',
      });
      expect(created.status).toBe(201);
      const task = created.body.tasks[0];
      const done = await http(
        stack,
        'POST',
        `/tasks/${task.id}/complete`,
        { outcome: 'DONE' },
        { as: CONTACT_WORKER[task.agency] },
      );
      expect(done.status).toBe(200);
      const after = await http(stack, 'GET', `/pathways/${created.body.id}`, undefined, {
        as: 'koordinator',
      });
      expect(after.status).toBe(200);
      expect(after.body.tasks.find((t: { id: string }) => t.id === task.id).status).toBe('DONE');
      // The API's client, the worker's connection and its client connection all came through the TLS endpoint.
      expect(accepted.length).toBeGreaterThanOrEqual(2);
      expect(new Set(accepted)).toEqual(new Set(['exit-pathways-client']));
    });
  });

  it('a client without a certificate is refused (the worker’s connection and the API’s client alike)', async () => {
    const refusedBefore = refused;
    const tls = connectionTls(composeTls(dir, ['ca']));
    // How the refusal surfaces varies (TLS 1.3 sends it after the handshake): the endpoint's count says why.
    await expect(NativeConnection.connect({ address, tls })).rejects.toThrow();
    const connection = await Connection.connect({ address, tls, connectTimeout: 3000 }).catch((error: Error) => error);
    if (!(connection instanceof Error)) {
      await expect(connection.workflowService.getSystemInfo({})).rejects.toThrow();
      await connection.close();
    }
    expect(refused).toBeGreaterThan(refusedBefore);
  });

  it('a client certificate from another CA is refused', async () => {
    const other = composeTls(otherDir, ['cert']);
    const tls = connectionTls({ ...other, ca: readFileSync(path.join(dir, 'ca.pem')) });
    await expect(NativeConnection.connect({ address, tls })).rejects.toThrow();
  });

  it('the client refuses a server whose certificate does not carry the expected name, or another CA', async () => {
    await expect(
      NativeConnection.connect({ address, tls: connectionTls(composeTls(dir, ['ca', 'cert'], 'temporal.elsewhere')) }),
    ).rejects.toThrow();
    const trustsOtherCa = { ...composeTls(dir), ca: readFileSync(path.join(otherDir, 'ca.pem')) };
    await expect(NativeConnection.connect({ address, tls: connectionTls(trustsOtherCa) })).rejects.toThrow();
  });

  /** Runs the CLI without blocking this process, which serves the TLS endpoint it talks to. */
  const runCli = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
    new Promise<{ code: number; output: string }>((resolve) => {
      execFile(ensureTemporal(), args, { env, timeout: 30_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) || 1 : 0, output: `${stdout}${stderr}` }),
      );
    });

  it('the compose setup job’s script, run as written against the mutual-TLS endpoint, gets the namespace ready', async () => {
    const compose = parseYaml(
      readFileSync(path.resolve(__dirname, '..', '..', '..', 'docker-compose.yml'), 'utf8'),
    ) as {
      services: Record<string, { command: string[] }>;
    };
    // As compose hands it to bash: $$ is $, the one variable its default; then this machine's paths and address.
    const script = compose.services['temporal-setup'].command[0]
      .replace(/\$\{TEMPORAL_NAMESPACE_RETENTION:-([^}]+)\}/g, '$1')
      .replace(/\$\$/g, '$')
      .replaceAll('/run/temporal-tls', dir)
      .replaceAll('temporal:7233', address);
    const cliDir = path.dirname(ensureTemporal());
    const result = await new Promise<{ code: number; output: string }>((resolve) => {
      execFile(
        'bash',
        ['-c', script],
        { env: { ...process.env, PATH: `${cliDir}:${process.env.PATH}` }, timeout: 60_000 },
        (error, stdout, stderr) => resolve({ code: error ? 1 : 0, output: `${stdout}${stderr}` }),
      );
    });
    expect(result.output).toContain('Namespace exit-pathways and its search attributes are ready.');
    expect(result.code).toBe(0);
  });

  it('the CLI with the flags of the compose health checks and setup job answers SERVING, and fails without', async () => {
    const base = ['operator', 'cluster', 'health', '--address', address, '--command-timeout', '5s'];
    const tlsFlags = [
      ...['--tls-ca-path', path.join(dir, 'ca.pem')],
      ...['--tls-cert-path', path.join(dir, 'client.pem')],
      ...['--tls-key-path', path.join(dir, 'client.key')],
      ...['--tls-server-name', 'temporal'],
    ];
    const ok = await runCli([...base, ...tlsFlags]);
    expect(ok.output).toContain('SERVING');
    expect(ok.code).toBe(0);
    const noCert = await runCli([...base, ...tlsFlags.slice(0, 2), ...tlsFlags.slice(6)]);
    expect(noCert.code).not.toBe(0);
    expect(noCert.output).toMatch(/failed reaching server/);
    expect(noCert.output).not.toContain('SERVING');
    // The environment variables compose sets on the temporal service for auto-setup's own CLI calls.
    const viaEnv = await runCli(
      base.filter((arg, i) => i < 3 || i > 4),
      {
        ...process.env,
        TEMPORAL_ADDRESS: address,
        TEMPORAL_TLS_SERVER_CA_CERT_PATH: path.join(dir, 'ca.pem'),
        TEMPORAL_TLS_CLIENT_CERT_PATH: path.join(dir, 'client.pem'),
        TEMPORAL_TLS_CLIENT_KEY_PATH: path.join(dir, 'client.key'),
        TEMPORAL_TLS_SERVER_NAME: 'temporal',
      },
    );
    expect(viaEnv.output).toContain('SERVING');
  });
});

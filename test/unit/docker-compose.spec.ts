// The deployment wiring a reader of docker-compose.yml and the Dockerfile relies on: which service talks to which,
// on which port, with which namespace, task queue, database and secrets. Values are read from the files themselves
// (and cross-checked against each other), so renaming a service or a port in one place and not the other fails here.
import { execFileSync, spawnSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import * as ts from 'typescript';
import { parse as parseYaml } from 'yaml';
import { authConfigFromEnv } from '../../apps/api/src/auth/auth-config';
import { ROLES } from '../../libs/domain/src/roles';
import { temporalTlsFromEnv } from '../../libs/temporal/src/config';
import { DEV_AUDIENCE, DEV_USERS, DEV_WEB_REDIRECT_URIS } from '../../scripts/dev-stack/dev-accounts';

const ROOT = resolve(__dirname, '..', '..');
const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');

type Scalar = string | number | boolean | null;
type PortSpec = string | number | { target: number; published?: string | number; host_ip?: string };
interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, Scalar> | string[];
  ports?: PortSpec[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  volumes?: (string | { type?: string; source?: string; target?: string })[];
  healthcheck?: { test?: string | string[] };
  secrets?: string[];
}
interface ComposeFile {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
  secrets?: Record<string, unknown>;
}

const SERVICES = ['postgres', 'temporal', 'temporal-setup', 'temporal-ui', 'keycloak', 'api', 'worker'];
const SEARCH_ATTRIBUTES: Record<string, string> = {
  PathwayStage: 'Keyword',
  PathwayTrack: 'Keyword',
  PathwayDistrict: 'Keyword',
  PathwayAgencies: 'KeywordList',
  PathwayOverdue: 'Bool',
  PathwayStalled: 'Bool',
};
const REQUIRED_SECRETS = [
  'POSTGRES_PASSWORD',
  'PAYLOAD_ACTIVE_KEY_ID',
  'KEYCLOAK_ADMIN_PASSWORD',
  'TEMPORAL_DB_PASSWORD',
  'TEMPORAL_UI_OIDC_CLIENT_SECRET',
];
/** Docker secrets, each from the operator's environment variable of the same name (upper case). */
const DOCKER_SECRETS: Record<string, string> = {
  payload_keys: 'PAYLOAD_KEYS',
  person_search_key: 'PERSON_SEARCH_KEY',
  exit_db_password: 'EXIT_DB_PASSWORD',
  exit_app_db_password: 'EXIT_APP_DB_PASSWORD',
  temporal_db_password: 'TEMPORAL_DB_PASSWORD',
};
// Stand-ins for the operator's environment, only used to resolve ${...} the way `docker compose` does.
const TEST_ENV: Record<string, string> = {
  POSTGRES_PASSWORD: 'pg-password-under-test',
  PAYLOAD_KEYS: 'k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
  PAYLOAD_ACTIVE_KEY_ID: 'k1',
  PERSON_SEARCH_KEY: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
  KEYCLOAK_ADMIN_PASSWORD: 'kc-password-under-test',
  TEMPORAL_DB_PASSWORD: 'temporal-password-under-test',
  TEMPORAL_UI_OIDC_CLIENT_SECRET: 'ui-secret-under-test',
};

// --- compose semantics: variable interpolation, environment/ports/depends_on short and long syntax ---

// $$ (a literal $), ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?error}, ${NAME?error}, $NAME; any other ${ is
// an error for compose (e.g. a JavaScript template literal that should have been written $${...}).
const VARIABLE = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)|\$\{/g;

function interpolate(text: string, env: Record<string, string | undefined>): string {
  return text.replace(VARIABLE, (match: string, braced?: string, op?: string, arg?: string, bare?: string) => {
    if (match === '$$') return '$';
    if (match === '${') throw new Error(`invalid interpolation format in: ${text}`);
    const name = (braced ?? bare) as string;
    const value = env[name];
    const missing = op?.startsWith(':') ? !value : value === undefined;
    if (op?.endsWith('?') && missing) throw new Error(`required variable ${name} is missing: ${arg}`);
    if (op?.endsWith('-') && missing) return arg ?? '';
    return value ?? '';
  });
}

function interpolateAll<T>(node: T, env: Record<string, string | undefined>): T {
  if (typeof node === 'string') return interpolate(node, env) as T;
  if (Array.isArray(node)) return node.map((item: unknown) => interpolateAll(item, env)) as T;
  if (node && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, interpolateAll(value, env)])) as T;
  }
  return node;
}

function variablesReferenced(node: unknown, names = new Set<string>()): Set<string> {
  if (typeof node === 'string') {
    for (const match of node.matchAll(VARIABLE)) {
      if (match[0] !== '$$') names.add(match[1] ?? match[4] ?? `invalid \${ in: ${node}`);
    }
  } else if (Array.isArray(node)) {
    node.forEach((item) => variablesReferenced(item, names));
  } else if (node && typeof node === 'object') {
    Object.values(node).forEach((value) => variablesReferenced(value, names));
  }
  return names;
}

function environmentOf(service: Service): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((entry) => [entry.split('=')[0], entry.slice(entry.indexOf('=') + 1)]));
  }
  return Object.fromEntries(Object.entries(env).map(([key, value]) => [key, value === null ? '' : String(value)]));
}

function portsOf(service: Service): { host?: string; published?: string; target: string }[] {
  return (service.ports ?? []).map((port) => {
    if (typeof port === 'object')
      return { host: port.host_ip, published: port.published?.toString(), target: String(port.target) };
    const parts = String(port)
      .replace(/\/(tcp|udp)$/, '')
      .split(':');
    return {
      host: parts.length > 2 ? parts[parts.length - 3] : undefined,
      published: parts.length > 1 ? parts[parts.length - 2] : undefined,
      target: parts[parts.length - 1],
    };
  });
}

function dependenciesOf(service: Service): Record<string, string> {
  const deps = service.depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((name) => [name, 'service_started']));
  return Object.fromEntries(Object.entries(deps).map(([name, dep]) => [name, dep.condition ?? 'service_started']));
}

const words = (value: string | string[] | undefined): string =>
  Array.isArray(value) ? value.join(' ') : (value ?? '');

const rawCompose = parseYaml(read('docker-compose.yml'), { merge: true }) as ComposeFile;
const compose = interpolateAll(rawCompose, TEST_ENV);
const service = (name: string): Service => {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
};
const env = (name: string): Record<string, string> => environmentOf(service(name));
/** A service's environment before interpolation, as written in the file. */
const rawEnv = (name: string): Record<string, string> => environmentOf(rawCompose.services[name] ?? {});

/** host:port of the Temporal frontend for a client on the compose network: the service name and its gRPC port. */
function temporalFrontend(): string {
  const grpcPort = env('temporal').FRONTEND_GRPC_PORT || '7233';
  expect(portsOf(service('temporal')).map((port) => port.target)).toContain(grpcPort);
  return `temporal:${grpcPort}`;
}

/** The temporal-setup script with line continuations joined, one shell command per line. */
function setupScriptLines(): string[] {
  const setup = service('temporal-setup');
  return `${words(setup.entrypoint)}\n${words(setup.command)}`.replace(/\\\n\s*/g, ' ').split('\n');
}

describe('docker-compose.yml', () => {
  it('defines the services of the deployment', () => {
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(SERVICES));
  });

  describe('postgres', () => {
    it('runs the official postgres:16 image with its data directory on a named volume', () => {
      const postgres = service('postgres');
      expect(postgres.image).toMatch(/^postgres:16([.-]|$)/);
      const data = (postgres.volumes ?? []).map(String).find((v) => v.split(':')[1] === '/var/lib/postgresql/data');
      expect(data).toBeDefined();
      expect(Object.keys(compose.volumes ?? {})).toContain(data?.split(':')[0]);
    });

    it('is health-checked with pg_isready', () => {
      expect(words(service('postgres').healthcheck?.test)).toContain('pg_isready');
    });

    it('mounts an executable init script that creates the roles and databases the other services log in with', () => {
      const mount = (service('postgres').volumes ?? [])
        .map(String)
        .find((v) => v.includes(':/docker-entrypoint-initdb.d'));
      expect(mount).toBeDefined();
      const dir = join(ROOT, (mount as string).split(':')[0]);
      const scripts = readdirSync(dir).filter((file) => /\.(sh|sql)$/.test(file));
      expect(scripts.length).toBeGreaterThan(0);
      for (const file of scripts.filter((f) => f.endsWith('.sh'))) {
        // The postgres image sources (rather than runs) .sh files that are not executable.
        expect(statSync(join(dir, file)).mode & 0o111).not.toBe(0);
      }
      const init = scripts.map((file) => readFileSync(join(dir, file), 'utf8')).join('\n');

      const app = new URL(env('api').DATABASE_URL);
      const temporal = env('temporal');
      const owners: [string, string][] = [
        [app.pathname.slice(1), app.username],
        [temporal.DBNAME, temporal.POSTGRES_USER],
        [temporal.VISIBILITY_DBNAME, temporal.POSTGRES_USER],
      ];
      for (const [database, role] of owners) {
        expect(init).toMatch(new RegExp(`CREATE ROLE ${role}\\b`));
        expect(init).toMatch(new RegExp(`CREATE DATABASE ${database} OWNER ${role}\\b`));
      }
      // The passwords the script sets are the ones the clients use.
      expect(init).toMatch(/\\getenv \w+ EXIT_DB_PASSWORD/);
      expect(init).toMatch(/\\getenv \w+ TEMPORAL_DB_PASSWORD/);
      // Each role's password is a Docker secret the script and the client read from the same file.
      expect(app.password).toBe('');
      expect(env('postgres').EXIT_DB_PASSWORD_FILE).toBe('/run/secrets/exit_db_password');
      expect(env('api').DATABASE_PASSWORD_FILE).toBe(env('postgres').EXIT_DB_PASSWORD_FILE);
      expect(env('postgres').TEMPORAL_DB_PASSWORD_FILE).toBe('/run/secrets/temporal_db_password');
      expect(temporal.POSTGRES_PWD).toBe(TEST_ENV.TEMPORAL_DB_PASSWORD);
      expect(init).toMatch(/must all differ/);
      expect(init).not.toMatch(/PASSWORD\s+'/i);
      // The API and the worker query as a role of their own, which the owner (NOCREATEROLE here) cannot create: the
      // script does, with the password the clients use, and lets it connect.
      const appRole = new URL(env('api').DATABASE_APP_URL);
      expect(appRole.username).not.toBe(app.username);
      expect(appRole.pathname).toBe(app.pathname);
      expect(env('worker').DATABASE_APP_URL).toBe(env('api').DATABASE_APP_URL);
      expect(init).toMatch(new RegExp(`CREATE ROLE ${appRole.username}\\b`));
      expect(init).toMatch(new RegExp(`GRANT CONNECT ON DATABASE ${app.pathname.slice(1)} TO ${appRole.username}\\b`));
      expect(appRole.password).toBe('');
      expect(env('postgres').EXIT_APP_DB_PASSWORD_FILE).toBe('/run/secrets/exit_app_db_password');
      expect(env('api').DATABASE_APP_PASSWORD_FILE).toBe(env('postgres').EXIT_APP_DB_PASSWORD_FILE);
    });
  });

  describe('temporal', () => {
    it('runs a pinned temporalio/auto-setup image', () => {
      expect(service('temporal').image).toMatch(/^temporalio\/auto-setup:\d+\.\d+\.\d+$/);
    });

    it('persists to the postgres service', () => {
      const temporal = env('temporal');
      expect(temporal.DB).toBe('postgres12');
      expect(temporal.POSTGRES_SEEDS).toBe('postgres');
      expect(temporal.DB_PORT).toBe('5432');
      expect(temporal.POSTGRES_USER).toBeTruthy();
      expect(dependenciesOf(service('temporal'))).toMatchObject({ postgres: 'service_healthy' });
    });
  });

  describe('temporal-setup', () => {
    it('runs the admin-tools CLI against the temporal service, after it started', () => {
      const setup = service('temporal-setup');
      expect(setup.image).toMatch(/^temporalio\/admin-tools:\d+\.\d+\.\d+/);
      expect(Object.keys(dependenciesOf(setup))).toContain('temporal');
      const cliCalls = setupScriptLines().filter((line) => /\btemporal (operator|workflow) /.test(line));
      expect(cliCalls.length).toBeGreaterThanOrEqual(3);
      for (const call of cliCalls) expect(call.match(/--address\s+(\S+)/)?.[1]).toBe(temporalFrontend());
    });

    it('creates the namespace the API and the worker use, and accepts that it already exists', () => {
      const create = setupScriptLines().find((line) => line.includes('operator namespace create'));
      expect(create?.match(/--namespace\s+(\S+)/)?.[1]).toBe(env('api').TEMPORAL_NAMESPACE);
      expect(setupScriptLines().join('\n')).toMatch(/already exists/i);
    });

    it('registers exactly the search attributes the workflows upsert, with their types, in that namespace', () => {
      const create = setupScriptLines().find((line) => line.includes('operator search-attribute create'));
      expect(create).toBeDefined();
      expect(create?.match(/--namespace\s+(\S+)/)?.[1]).toBe(env('api').TEMPORAL_NAMESPACE);
      const registered = [...(create as string).matchAll(/--name\s+(\S+)\s+--type\s+(\S+)/g)].map(
        ([, name, type]): [string, string] => [name, type],
      );
      for (const [name] of registered) expect(Object.keys(SEARCH_ATTRIBUTES)).toContain(name);
      expect(Object.fromEntries(registered)).toEqual(SEARCH_ATTRIBUTES);
    });

    it('registers the search attributes the domain code defines, with the same types', async () => {
      const { PATHWAY_SEARCH_ATTRIBUTES } = await import('../../libs/domain/src/search-attributes');
      // SearchAttributeType KEYWORD_LIST is the CLI's KeywordList, and so on.
      const cliType = (type: string) =>
        type
          .split('_')
          .map((word) => word[0] + word.slice(1).toLowerCase())
          .join('');
      const defined = Object.fromEntries(PATHWAY_SEARCH_ATTRIBUTES.map((key) => [key.name, cliType(key.type)]));
      expect(defined).toEqual(SEARCH_ATTRIBUTES);
    });
  });

  describe('mutual TLS to Temporal', () => {
    const MOUNT = '/run/temporal-tls';
    /** The host folder a service mounts at /run/temporal-tls (read-only), as written and resolved. */
    const tlsMount = (name: string): string | undefined => {
      const volume = (service(name).volumes ?? [])
        .map(String)
        .find((v) => v.split(':')[1] === MOUNT && v.split(':')[2] === 'ro');
      return volume?.split(':')[0];
    };
    let certs: string;
    beforeAll(() => {
      certs = mkdtempSync(join(tmpdir(), 'exit-compose-tls-'));
      execFileSync(join(ROOT, 'deploy/tls/make-dev-certs.sh'), [certs], { stdio: 'pipe' });
    });
    afterAll(() => rmSync(certs, { recursive: true, force: true }));
    /** A path in a container under the mount, as the file make-dev-certs.sh wrote. */
    const hostFile = (containerPath: string): string => {
      expect(containerPath.startsWith(`${MOUNT}/`)).toBe(true);
      return join(certs, containerPath.slice(MOUNT.length + 1));
    };

    it('every service that talks to Temporal mounts the same folder of TLS files, ./deploy/tls by default', () => {
      for (const name of ['temporal', 'temporal-setup', 'temporal-ui', 'api', 'worker']) {
        expect(tlsMount(name)).toBe('./deploy/tls');
        const raw = (rawCompose.services[name].volumes ?? []).map(String).find((v) => v.includes(MOUNT));
        expect(raw).toBe('${TEMPORAL_TLS_DIR:-./deploy/tls}:/run/temporal-tls:ro');
      }
      // The script that makes the development certificates is in that folder, and only it and the README are committed.
      expect(statSync(join(ROOT, 'deploy/tls/make-dev-certs.sh')).mode & 0o111).toBeTruthy();
      expect(read('deploy/tls/.gitignore').split('\n')).toEqual(expect.arrayContaining(['*', '!make-dev-certs.sh']));
    });

    it('the server serves mutual TLS on its frontend and between its own services, with the script’s files', () => {
      const server = env('temporal');
      expect(server.TEMPORAL_TLS_REQUIRE_CLIENT_AUTH).toBe('true');
      expect(server.TEMPORAL_TLS_FRONTEND_DISABLE_HOST_VERIFICATION).toBe('false');
      expect(server.TEMPORAL_TLS_INTERNODE_DISABLE_HOST_VERIFICATION).toBe('false');
      for (const setting of [
        'TEMPORAL_TLS_SERVER_CERT',
        'TEMPORAL_TLS_SERVER_KEY',
        'TEMPORAL_TLS_SERVER_CA_CERT',
        'TEMPORAL_TLS_FRONTEND_CERT',
        'TEMPORAL_TLS_FRONTEND_KEY',
        'TEMPORAL_TLS_CLIENT1_CA_CERT',
      ]) {
        expect(existsSync(hostFile(server[setting]))).toBe(true);
      }
      // Its certificate chains to the CA the clients trust and names what the clients expect (the compose service).
      const cert = new X509Certificate(readFileSync(hostFile(server.TEMPORAL_TLS_FRONTEND_CERT)));
      const ca = new X509Certificate(readFileSync(hostFile(server.TEMPORAL_TLS_CLIENT1_CA_CERT)));
      expect(cert.verify(ca.publicKey)).toBe(true);
      expect(temporalFrontend().split(':')[0]).toBe('temporal');
      for (const name of [server.TEMPORAL_TLS_FRONTEND_SERVER_NAME, server.TEMPORAL_TLS_INTERNODE_SERVER_NAME]) {
        expect(name).toBe('temporal');
        expect(cert.checkHost(name)).toBe(name);
      }
      expect(cert.checkHost('temporal.elsewhere')).toBeUndefined();
      const key = createPrivateKey(readFileSync(hostFile(server.TEMPORAL_TLS_FRONTEND_KEY)));
      expect(createPublicKey(key).export({ format: 'pem', type: 'spki' })).toBe(
        cert.publicKey.export({ format: 'pem', type: 'spki' }),
      );
    });

    it.each(['api', 'worker', 'temporal-ui'])(
      '%s connects with the client certificate, verifying the server',
      (name) => {
        const client = env(name);
        const ca = new X509Certificate(readFileSync(hostFile(client.TEMPORAL_TLS_CA)));
        const cert = new X509Certificate(readFileSync(hostFile(client.TEMPORAL_TLS_CERT)));
        expect(cert.verify(ca.publicKey)).toBe(true);
        expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']); // clientAuth only
        expect(existsSync(hostFile(client.TEMPORAL_TLS_KEY))).toBe(true);
        expect(client.TEMPORAL_TLS_SERVER_NAME).toBe(env('temporal').TEMPORAL_TLS_FRONTEND_SERVER_NAME);
        // The same CA signs the server's certificate.
        expect(client.TEMPORAL_TLS_CA).toBe(env('temporal').TEMPORAL_TLS_CLIENT1_CA_CERT);
        if (name === 'temporal-ui') expect(client.TEMPORAL_TLS_ENABLE_HOST_VERIFICATION).toBe('true');
        // And the application reads them as it would in the container (libs/temporal/src/config.ts).
        if (name !== 'temporal-ui') {
          const tls = temporalTlsFromEnv(
            Object.fromEntries(
              ['TEMPORAL_TLS_CA', 'TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_KEY'].map((k) => [k, hostFile(client[k])]),
            ),
          );
          expect(tls?.cert && tls.key && tls.ca).toBeTruthy();
        }
      },
    );

    it('the health check and every CLI call of the setup job present the client certificate', () => {
      const flags = (args: string): Record<string, string> =>
        Object.fromEntries([...args.matchAll(/--(tls-[a-z-]+)\s+([^\s)]+)/g)].map(([, flag, value]) => [flag, value]));
      const expected = {
        'tls-ca-path': '/run/temporal-tls/ca.pem',
        'tls-cert-path': '/run/temporal-tls/client.pem',
        'tls-key-path': '/run/temporal-tls/client.key',
        'tls-server-name': 'temporal',
      };
      expect(flags(words(service('temporal').healthcheck?.test))).toEqual(expected);
      const lines = setupScriptLines();
      const array = lines.find((line) => /^\s*tls=\(/.test(line));
      expect(flags(array ?? '')).toEqual(expected);
      const cliCalls = lines.filter((line) => /\btemporal (operator|workflow) /.test(line));
      expect(cliCalls.length).toBeGreaterThanOrEqual(3);
      for (const call of cliCalls) expect(call).toContain('"${tls[@]}"');
      // auto-setup's own wait for the cluster's health (the CLI's environment variables).
      const server = env('temporal');
      expect({
        'tls-ca-path': server.TEMPORAL_TLS_SERVER_CA_CERT_PATH,
        'tls-cert-path': server.TEMPORAL_TLS_CLIENT_CERT_PATH,
        'tls-key-path': server.TEMPORAL_TLS_CLIENT_KEY_PATH,
        'tls-server-name': server.TEMPORAL_TLS_SERVER_NAME,
      }).toEqual(expected);
    });

    it('the setup job’s script is valid bash', () => {
      const script = words(service('temporal-setup').command);
      const check = spawnSync('bash', ['-n', '-c', script], { encoding: 'utf8' });
      expect(check.stderr).toBe('');
      expect(check.status).toBe(0);
    });
  });

  describe('temporal-ui', () => {
    it('points at the temporal service', () => {
      expect(service('temporal-ui').image).toMatch(/^temporalio\/ui:\d+\.\d+\.\d+$/);
      expect(env('temporal-ui').TEMPORAL_ADDRESS).toBe(temporalFrontend());
    });

    it('is read-only, signs in at the OpenID Provider and decodes with the API’s codec endpoint, passing the token', () => {
      const ui = env('temporal-ui');
      expect(ui.TEMPORAL_DISABLE_WRITE_ACTIONS).toBe('true');
      expect(ui.TEMPORAL_AUTH_ENABLED).toBe('true');
      expect(ui.TEMPORAL_AUTH_PROVIDER_URL).toBe(env('api').OIDC_ISSUER);
      expect(ui.TEMPORAL_AUTH_CLIENT_SECRET).toBe(TEST_ENV.TEMPORAL_UI_OIDC_CLIENT_SECRET);
      expect(ui.TEMPORAL_CODEC_PASS_ACCESS_TOKEN).toBe('true');
      // The browser calls {endpoint}/decode on the API's published port; the API lets only the UI's origin in.
      const [published] = portsOf(service('api'));
      expect(ui.TEMPORAL_CODEC_ENDPOINT).toBe(`http://${published.host}:${published.published}/codec`);
      const [uiPort] = portsOf(service('temporal-ui'));
      expect(env('api').TEMPORAL_UI_ORIGIN).toBe(`http://${uiPort.host}:${uiPort.published}`);
      expect(new URL(ui.TEMPORAL_AUTH_CALLBACK_URL).origin).toBe(env('api').TEMPORAL_UI_ORIGIN);
    });
  });

  describe('api and worker', () => {
    it.each(['api', 'worker'])('%s is built from the repository Dockerfile', (name) => {
      const build = service(name).build;
      const context = typeof build === 'string' ? build : build?.context;
      const dockerfile = (typeof build === 'object' && build.dockerfile) || 'Dockerfile';
      expect(context).toBeDefined();
      expect(resolve(ROOT, context as string, dockerfile)).toBe(join(ROOT, 'Dockerfile'));
    });

    it('share the Temporal namespace, the task queue and the database', () => {
      const [api, worker] = [env('api'), env('worker')];
      for (const key of ['TEMPORAL_NAMESPACE', 'TEMPORAL_TASK_QUEUE', 'DATABASE_URL', 'TEMPORAL_ADDRESS']) {
        expect(api[key]).toBeTruthy();
        expect(worker[key]).toBe(api[key]);
      }
      expect(api.TEMPORAL_NAMESPACE).toBe('exit-pathways');
      expect(api.TEMPORAL_TASK_QUEUE).toBe('pathways');
    });

    it.each(['api', 'worker'])('%s uses the exit_pathways database on the postgres service', (name) => {
      const url = new URL(env(name).DATABASE_URL);
      expect(url.protocol).toBe('postgres:');
      expect(url.hostname).toBe('postgres');
      expect(url.port).toBe('5432');
      expect(url.pathname).toBe('/exit_pathways');
      expect(url.username).toBe('exit');
    });

    it.each(['api', 'worker'])('%s points TEMPORAL_ADDRESS at the temporal service port', (name) => {
      expect(env(name).TEMPORAL_ADDRESS).toBe(temporalFrontend());
    });

    it.each(['api', 'worker'])('%s starts once postgres is healthy and temporal-setup has completed', (name) => {
      expect(dependenciesOf(service(name))).toMatchObject({
        postgres: 'service_healthy',
        'temporal-setup': 'service_completed_successfully',
      });
    });

    it('the worker runs the compiled worker, the API the image default (the compiled API)', () => {
      expect(words(service('worker').command)).toContain('dist/apps/worker/src/main.js');
      expect(service('api').command).toBeUndefined();
    });

    it('the API publishes port 3000 on the host loopback only and listens on it inside its container', () => {
      const api = service('api');
      expect(env('api').PORT).toBe('3000');
      // Plain HTTP: only a TLS-terminating proxy on the same host may reach it.
      expect(portsOf(api)).toContainEqual({ host: '127.0.0.1', published: '3000', target: env('api').PORT });
      // The API binds to HOST, 127.0.0.1 unless told otherwise: unreachable through a published port.
      expect(env('api').HOST).toBe('0.0.0.0');
    });

    it('the worker serves /metrics on every interface of its container, published on the host loopback only', () => {
      const worker = env('worker');
      expect(worker.METRICS_HOST).toBe('0.0.0.0');
      expect(portsOf(service('worker'))).toEqual([
        { host: '127.0.0.1', published: worker.METRICS_PORT, target: worker.METRICS_PORT },
      ]);
      expect((service('worker').ports ?? []).map(String)).toEqual([
        `127.0.0.1:${worker.METRICS_PORT}:${worker.METRICS_PORT}`,
      ]);
      // The SDK's own exporter is read by the worker alone; left unset it stays on the container's loopback.
      expect(worker.TEMPORAL_METRICS_ADDRESS ?? '127.0.0.1:').toMatch(/^127\.0\.0\.1:/);
      expect(worker.METRICS_PORT).not.toBe((worker.TEMPORAL_METRICS_ADDRESS ?? '127.0.0.1:9465').split(':')[1]);
    });

    it.each(['api', 'worker'])('%s logs at LOG_LEVEL, info unless the operator sets it', (name) => {
      expect(rawEnv(name).LOG_LEVEL).toBe('${LOG_LEVEL:-info}');
      expect(env(name).LOG_LEVEL).toBe('info');
      expect(interpolateAll(rawCompose, { ...TEST_ENV, LOG_LEVEL: 'debug' }).services[name].environment).toMatchObject({
        LOG_LEVEL: 'debug',
      });
    });
  });

  it('publishes no port of any service beyond the host loopback', () => {
    const published = Object.entries(compose.services).flatMap(([name, svc]) =>
      portsOf(svc).map((port) => ({ name, host: port.host })),
    );
    expect(published.length).toBeGreaterThan(0);
    expect(published.filter((p) => p.host !== '127.0.0.1')).toEqual([]);
  });

  describe('keycloak (demo sign-in)', () => {
    interface Mapper {
      protocolMapper: string;
      config: Record<string, string>;
    }
    interface Realm {
      realm: string;
      roles: { client: Record<string, { name: string }[]> };
      clients: {
        clientId: string;
        publicClient?: boolean;
        standardFlowEnabled?: boolean;
        implicitFlowEnabled?: boolean;
        redirectUris?: string[];
        attributes?: Record<string, string>;
        protocolMappers?: Mapper[];
      }[];
      users: {
        username: string;
        firstName: string;
        attributes: Record<string, string[]>;
        credentials: { type: string; value: string; temporary: boolean }[];
        clientRoles: Record<string, string[]>;
      }[];
      components: Record<string, { config: Record<string, string[]> }[]>;
    }

    /** The realm files in the folder mounted as Keycloak's import directory. */
    function importedRealms(): Realm[] {
      const mount = (service('keycloak').volumes ?? [])
        .map(String)
        .find((volume) => volume.split(':')[1] === '/opt/keycloak/data/import');
      expect(mount).toBeDefined();
      const folder = join(ROOT, mount!.split(':')[0]);
      const files = readdirSync(folder).filter((file) => file.endsWith('.json'));
      expect(files.length).toBeGreaterThan(0);
      return files.map((file) => JSON.parse(readFileSync(join(folder, file), 'utf8')) as Realm);
    }
    const realm = (): Realm => {
      const name = new URL(env('api').OIDC_ISSUER).pathname.replace(/^\/realms\//, '');
      const found = importedRealms().find((candidate) => candidate.realm === name);
      if (!found) throw new Error(`no imported realm ${name}`);
      return found;
    };
    const mappers = (kind: string): Mapper[] =>
      realm().clients.flatMap((client) => (client.protocolMappers ?? []).filter((m) => m.protocolMapper === kind));

    it('runs a pinned Keycloak in development mode, importing the realm, published on 127.0.0.1 only', () => {
      const keycloak = service('keycloak');
      expect(keycloak.image).toMatch(/^quay\.io\/keycloak\/keycloak:\d+\.\d+\.\d+$/);
      expect(words(keycloak.command).split(' ')).toEqual(expect.arrayContaining(['start-dev', '--import-realm']));
      const ports = (keycloak.ports ?? []).map(String);
      expect(ports.length).toBeGreaterThan(0);
      for (const port of ports) expect(port).toMatch(/^127\.0\.0\.1:/);
    });

    it('names in its tokens the issuer the api expects, and serves the keys where the api reads them', () => {
      const api = env('api');
      const published = portsOf(service('keycloak'))[0];
      expect(env('keycloak').KC_HOSTNAME).toBe(`http://127.0.0.1:${published.published}`);
      expect(api.OIDC_ISSUER).toBe(`${env('keycloak').KC_HOSTNAME}/realms/${realm().realm}`);
      expect(api.OIDC_JWKS_URI).toBe(
        `http://keycloak:${published.target}/realms/${realm().realm}/protocol/openid-connect/certs`,
      );
      // The same validation the API runs at boot.
      expect(authConfigFromEnv(api)).toMatchObject({ issuer: api.OIDC_ISSUER, audience: DEV_AUDIENCE });
    });

    it('puts the api audience, the agency, the roles and the name in the claims the api reads', () => {
      const api = env('api');
      const clients = realm().clients.filter((client) => client.standardFlowEnabled || client.protocolMappers);
      const signingIn = realm().clients.filter((client) => client.protocolMappers?.length);
      expect(signingIn.length).toBeGreaterThan(0);
      expect(clients.every((client) => !client.implicitFlowEnabled)).toBe(true);
      for (const kind of [
        'oidc-audience-mapper',
        'oidc-usermodel-attribute-mapper',
        'oidc-usermodel-client-role-mapper',
        'oidc-full-name-mapper',
      ]) {
        expect(mappers(kind)).toHaveLength(signingIn.length);
      }
      for (const mapper of mappers('oidc-audience-mapper')) {
        expect(mapper.config['included.custom.audience']).toBe(api.OIDC_AUDIENCE);
      }
      for (const mapper of mappers('oidc-usermodel-attribute-mapper')) {
        expect(mapper.config).toMatchObject({ 'claim.name': api.OIDC_CLAIM_AGENCY, 'user.attribute': 'agency' });
      }
      for (const mapper of mappers('oidc-usermodel-client-role-mapper')) {
        expect(mapper.config).toMatchObject({ 'claim.name': api.OIDC_CLAIM_ROLES, multivalued: 'true' });
        expect(Object.keys(realm().roles.client)).toContain(mapper.config['usermodel.clientRoleMapping.clientId']);
      }
      expect(api.OIDC_CLAIM_NAME).toBe('name');
      expect(api.OIDC_CLAIM_USER_ID).toBe('sub');
    });

    it('defines exactly the roles of libs/domain/src/roles.ts', () => {
      const [holder] = mappers('oidc-usermodel-client-role-mapper');
      const roles = realm().roles.client[holder.config['usermodel.clientRoleMapping.clientId']];
      expect(roles.map((role) => role.name)).toEqual([...ROLES]);
    });

    it('has the web app as a public client with PKCE and the development issuer’s redirect URIs', () => {
      const web = realm().clients.find((client) => client.clientId === 'exit-pathways-web');
      expect(web).toMatchObject({ publicClient: true, standardFlowEnabled: true, implicitFlowEnabled: false });
      expect(web?.attributes?.['pkce.code.challenge.method']).toBe('S256');
      expect(web?.redirectUris).toEqual(DEV_WEB_REDIRECT_URIS);
    });

    it('holds the same demo accounts as the development issuer: password, name, agency and roles', () => {
      const [holder] = mappers('oidc-usermodel-client-role-mapper');
      const api = holder.config['usermodel.clientRoleMapping.clientId'];
      const users = realm().users.map((user) => ({
        username: user.username,
        password: user.credentials.find((c) => c.type === 'password' && !c.temporary)?.value,
        name: user.firstName,
        agency: user.attributes.agency?.join(','),
        roles: user.clientRoles[api],
      }));
      expect(users).toEqual(DEV_USERS.map((user) => ({ ...user })));
    });

    it('lets only an administrator change a person’s agency', () => {
      const [profile] = realm().components['org.keycloak.userprofile.UserProfileProvider'];
      const config = JSON.parse(profile.config['kc.user.profile.config'][0]) as {
        attributes: { name: string; permissions: { edit: string[] } }[];
      };
      const agency = config.attributes.find((attribute) => attribute.name === 'agency');
      expect(agency?.permissions.edit).toEqual(['admin']);
    });
  });

  describe('secrets', () => {
    const REQUIRED_REFERENCE = /^\$\{[A-Z][A-Z0-9_]*:\?[^}]+\}$/;

    it('come only from the environment, as required variables', () => {
      const checked: string[] = [];
      for (const name of Object.keys(rawCompose.services)) {
        for (const [key, value] of Object.entries(rawEnv(name))) {
          if (!/PASSWORD|PWD|SECRET|TOKEN|PAYLOAD_KEYS|KEY_ID|SEARCH_KEY/.test(key)) continue;
          // A file of a Docker secret this service mounts (the next test); a switch, not a secret.
          if (key.endsWith('_FILE') || key === 'TEMPORAL_CODEC_PASS_ACCESS_TOKEN') continue;
          checked.push(`${name}.${key}`);
          expect({ [`${name}.${key}`]: value }).toEqual({
            [`${name}.${key}`]: expect.stringMatching(REQUIRED_REFERENCE),
          });
        }
      }
      expect(checked).toEqual(
        expect.arrayContaining([
          'postgres.POSTGRES_PASSWORD',
          'temporal.POSTGRES_PWD',
          'api.PAYLOAD_ACTIVE_KEY_ID',
          'worker.PAYLOAD_ACTIVE_KEY_ID',
          'keycloak.KC_BOOTSTRAP_ADMIN_PASSWORD',
        ]),
      );
    });

    it('keys and the application’s passwords reach the api and the worker as Docker secrets, not environment', () => {
      for (const [secret, variable] of Object.entries(DOCKER_SECRETS)) {
        expect({ secret, source: compose.secrets?.[secret] }).toEqual({ secret, source: { environment: variable } });
      }
      for (const name of ['api', 'worker']) {
        const app = env(name);
        expect(service(name).secrets).toEqual([
          'payload_keys',
          'person_search_key',
          'exit_db_password',
          'exit_app_db_password',
        ]);
        expect(app.PAYLOAD_KEYS_FILE).toBe('/run/secrets/payload_keys');
        expect(app.PERSON_SEARCH_KEY_FILE).toBe('/run/secrets/person_search_key');
        expect(app.DATABASE_PASSWORD_FILE).toBe('/run/secrets/exit_db_password');
        expect(app.DATABASE_APP_PASSWORD_FILE).toBe('/run/secrets/exit_app_db_password');
        expect(app.PAYLOAD_KEYS).toBeUndefined();
        expect(app.PERSON_SEARCH_KEY).toBeUndefined();
        expect(new URL(app.DATABASE_URL).password).toBe('');
        expect(new URL(app.DATABASE_APP_URL).password).toBe('');
        expect(JSON.stringify(app)).not.toContain(TEST_ENV.POSTGRES_PASSWORD);
      }
    });

    it.each(REQUIRED_SECRETS)('compose refuses to start without %s', (secret) => {
      const rest = Object.fromEntries(Object.entries(TEST_ENV).filter(([name]) => name !== secret));
      expect(() => interpolateAll(rawCompose, rest)).toThrow(secret);
      expect(() => interpolateAll(rawCompose, { ...rest, [secret]: '' })).toThrow(secret);
    });

    it('references only the documented variables (shell variables in scripts are escaped as $$)', () => {
      expect([...variablesReferenced(rawCompose)].sort()).toEqual(
        [...REQUIRED_SECRETS, 'APP_IMAGE_TAG', 'LOG_LEVEL', 'TEMPORAL_NAMESPACE_RETENTION', 'TEMPORAL_TLS_DIR'].sort(),
      );
    });
  });
});

// --- Dockerfile: instructions with continuations joined and comments dropped, split into stages at FROM ---

interface Instruction {
  keyword: string;
  args: string;
}

function dockerfileStages(text: string): Instruction[][] {
  const instructions = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [keyword, ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
  const stages: Instruction[][] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') stages.push([]);
    stages[stages.length - 1]?.push(instruction);
  }
  return stages;
}

/** CMD/ENTRYPOINT arguments, exec form (JSON array) or shell form. */
const execArgs = (args: string): string[] => (args.startsWith('[') ? (JSON.parse(args) as string[]) : [args]);

/** Where tsc -p tsconfig.build.json writes the JavaScript for a source file, relative to the repository. */
function compiledPath(source: string): string {
  const config = ts.readConfigFile(join(ROOT, 'tsconfig.build.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  if (!options.outDir || !options.rootDir) throw new Error('tsconfig.build.json needs outDir and rootDir');
  return relative(ROOT, join(options.outDir, relative(options.rootDir, join(ROOT, source)))).replace(/\.ts$/, '.js');
}

describe('Dockerfile', () => {
  const stages = dockerfileStages(read('Dockerfile'));
  const final = stages[stages.length - 1] ?? [];
  const runs = stages.flat().filter((i) => i.keyword === 'RUN');

  it('is multi-stage: installs with npm ci, builds with npm run build and drops dev dependencies', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(runs.some((i) => /\bnpm ci\b/.test(i.args))).toBe(true);
    expect(runs.some((i) => /\bnpm run build\b/.test(i.args))).toBe(true);
    expect(runs.some((i) => /\bnpm (prune|ci) [^&;]*--omit=dev\b/.test(i.args))).toBe(true);
  });

  it('builds every stage on the same official Node image, of a major version package.json supports', () => {
    const args = Object.fromEntries(
      read('Dockerfile')
        .split('\n')
        .map((line) => line.match(/^ARG\s+(\w+)=(\S+)/))
        .filter((m): m is RegExpMatchArray => m !== null)
        .map(([, name, value]): [string, string] => [name, value]),
    );
    const images = new Set(stages.map((stage) => interpolate(stage[0].args.split(/\s+/)[0], args)));
    expect(images.size).toBe(1);
    const [image] = images;
    const major = image.match(/^node:(\d+)[.-]/)?.[1];
    const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node;
    const minimum = engines.match(/^>=\s*(\d+)/)?.[1];
    expect(major).toBeDefined();
    expect(Number(major)).toBeGreaterThanOrEqual(Number(minimum));
  });

  it('runs the final stage as a non-root user', () => {
    const users = final.filter((i) => i.keyword === 'USER').map((i) => i.args.split(':')[0]);
    expect(users.length).toBeGreaterThan(0);
    expect(['root', '0']).not.toContain(users[users.length - 1]);
  });

  it('starts the compiled API by default, where tsc writes it', () => {
    const last = (keyword: string) => final.filter((i) => i.keyword === keyword).pop();
    const command = [...execArgs(last('ENTRYPOINT')?.args ?? '[]'), ...execArgs(last('CMD')?.args ?? '[]')].join(' ');
    expect(command).toContain('dist/apps/api/src/main.js');
    expect(compiledPath('apps/api/src/main.ts')).toBe('dist/apps/api/src/main.js');
    expect(compiledPath('apps/worker/src/main.ts')).toBe('dist/apps/worker/src/main.js');
    expect(final.some((i) => i.keyword === 'COPY' && /\/app\/dist\b/.test(i.args))).toBe(true);
  });

  it('keeps local artefacts out of the build context (.dockerignore)', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((line) => line.trim());
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', '.data', '.git', 'coverage']));
  });
});

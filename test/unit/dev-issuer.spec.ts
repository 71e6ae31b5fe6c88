// The development issuer and `npm run dev:token` as a developer uses them: real processes for the command lines,
// the issuer in this process where only its answers matter.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { SEEDED_AGENCIES, TokenVerifier } from '../../apps/api/src/auth/token-verifier';
import { startDevIssuer } from '../../scripts/dev-stack/dev-issuer';
import { mintDevToken } from '../../scripts/dev-stack/dev-token';
import {
  DEV_TOKEN_CLIENT_ID,
  DEV_TOKEN_REDIRECT_URI,
  DEV_USERS,
  DEV_WEB_CLIENT_ID,
} from '../../scripts/dev-stack/dev-accounts';
import { startTestIssuer, type TestIssuer } from '../support/dev-issuer';

const ROOT = path.resolve(__dirname, '..', '..');
const run = promisify(execFile);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => resolve(!socket.destroy()));
    socket.once('error', () => resolve(false));
  });

/** Runs a command of package.json's scripts or a file with ts-node; the exit code, standard output and error. */
async function command(file: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  try {
    const { stdout, stderr } = await run(file, args, { cwd: ROOT, env: { ...process.env, ...env }, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe('the development issuer', () => {
  let issuer: TestIssuer;

  beforeAll(async () => {
    issuer = await startTestIssuer();
  });
  afterAll(() => issuer.stop());

  it('does not start with NODE_ENV=production, in code or as the command npm start runs', async () => {
    await expect(startDevIssuer({ port: 0, env: { NODE_ENV: 'production' } })).rejects.toThrow(
      'the development issuer does not run with NODE_ENV=production',
    );
    const port = await freePort();
    const started = await command(
      path.join(ROOT, 'node_modules', '.bin', 'ts-node'),
      ['--transpile-only', 'scripts/dev-stack/dev-issuer.ts'],
      { NODE_ENV: 'production', DEV_ISSUER_PORT: String(port) },
    );
    expect(started.code).toBe(1);
    expect(started.stderr).toContain('does not run with NODE_ENV=production');
    expect(await listening(port)).toBe(false);
  });

  it('npm run dev:token prints the access token of a demo account, and only that', async () => {
    const result = await command('npm', [
      'run',
      '-s',
      'dev:token',
      '--',
      'eki-sagsbehandler',
      '--issuer',
      issuer.issuer,
    ]);
    expect(result).toMatchObject({ code: 0 });
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const principal = await new TokenVerifier(issuer.authConfig(), SEEDED_AGENCIES).verify(lines[0]);
    expect(principal).toMatchObject({ userId: 'eki-sagsbehandler', agency: 'EKI', roles: ['CASEWORKER'] });
  });

  it('npm run dev:token names the demo accounts when given an unknown one', async () => {
    const result = await command('npm', ['run', '-s', 'dev:token', '--', 'nobody', '--issuer', issuer.issuer]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('no demo account nobody');
    for (const user of DEV_USERS) expect(result.stderr).toContain(user.username);
  });

  it('refuses a wrong password at its login form', async () => {
    await expect(mintDevToken({ issuer: issuer.issuer, username: 'admin', password: 'dev-leder' })).rejects.toThrow(
      'sign-in refused for admin',
    );
  });

  it('sends the web app’s sign-in only back to a registered redirect URI', async () => {
    await expect(
      mintDevToken({
        issuer: issuer.issuer,
        username: 'koordinator',
        clientId: DEV_WEB_CLIENT_ID,
        redirectUri: 'http://127.0.0.1:9999/elsewhere',
      }),
    ).rejects.toThrow('the issuer answered 400 during sign-in');
  });

  it('refuses an authorization request without PKCE', async () => {
    const url = new URL(`${issuer.issuer}/auth`);
    url.search = new URLSearchParams({
      client_id: DEV_TOKEN_CLIENT_ID,
      response_type: 'code',
      redirect_uri: DEV_TOKEN_REDIRECT_URI,
      scope: 'openid api',
      state: 's1',
    }).toString();
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(303);
    const back = new URL(response.headers.get('location') ?? '');
    expect(`${back.origin}${back.pathname}`).toBe(DEV_TOKEN_REDIRECT_URI);
    expect(back.searchParams.get('error')).toBe('invalid_request');
    expect(back.searchParams.get('error_description')).toMatch(/PKCE/);
    expect(back.searchParams.get('code')).toBeNull();
  });

  it('README lists every demo account with its password, agency and roles, and no other', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const rows = [...readme.matchAll(/^\| `([a-z0-9-]+)` +\| `([^`]+)` +\| ([A-Z_]+) +\| ([A-Z_, ]+?) +\|$/gm)].map(
      ([, username, password, agency, roles]) => ({ username, password, agency, roles: roles.split(', ') }),
    );
    expect(rows).toEqual(
      DEV_USERS.map(({ username, password, agency, roles }) => ({ username, password, agency, roles })),
    );
  });

  it('is a development dependency, so the production image (dependencies only) cannot run it', () => {
    const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(Object.keys(manifest.dependencies)).not.toContain('oidc-provider');
    expect(manifest.devDependencies['oidc-provider']).toMatch(/^\^9\./);
  });
});

// DEVELOPMENT ONLY: signs a demo account in to the development issuer (scripts/dev-stack/dev-issuer.ts) the way a
// browser would (authorization request with PKCE, the login form with the seeded password, the consent form, the
// code exchange) and prints the API access token, for curl:
//
//   npm run dev:token -- eki-sagsbehandler
//   curl -H "Authorization: Bearer $(npm run -s dev:token -- eki-sagsbehandler)" http://127.0.0.1:3000/...
//
// The tests sign in through mintDevToken below, so a change to the sign-in pages breaks them too.
import { createHash, randomBytes } from 'node:crypto';
import {
  DEV_AUDIENCE,
  DEV_ISSUER_DEFAULT_PORT,
  DEV_TOKEN_CLIENT_ID,
  DEV_TOKEN_REDIRECT_URI,
  DEV_USERS,
  findDevUser,
} from './dev-accounts';

export interface DevTokenRequest {
  issuer: string;
  username: string;
  /** The seeded password of the account unless given. */
  password?: string;
  clientId?: string;
  redirectUri?: string;
  resource?: string;
  scope?: string;
}

export interface DevTokens {
  accessToken: string;
  idToken?: string;
  expiresIn: number;
}

const MAX_STEPS = 12;

/** A cookie jar just big enough for one sign-in: the issuer's interaction and session cookies. */
class Cookies {
  private readonly values = new Map<string, string>();

  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      const [name, value] = [pair.slice(0, eq).trim(), pair.slice(eq + 1).trim()];
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.values.delete(name);
      else this.values.set(name, value);
    }
  }

  header(): string {
    return [...this.values].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/** Signs `username` in with authorization code + PKCE and returns the tokens the issuer hands the client. */
export async function mintDevTokens(request: DevTokenRequest): Promise<DevTokens> {
  const issuer = request.issuer.replace(/\/$/, '');
  const password = request.password ?? findDevUser(request.username)?.password;
  if (password === undefined) throw new Error(`no demo account ${request.username}`);
  const clientId = request.clientId ?? DEV_TOKEN_CLIENT_ID;
  const redirectUri = request.redirectUri ?? DEV_TOKEN_REDIRECT_URI;
  const resource = request.resource ?? DEV_AUDIENCE;

  const discovery = await fetch(`${issuer}/.well-known/openid-configuration`);
  if (!discovery.ok) throw new Error(`no OpenID Provider at ${issuer} (discovery answered ${discovery.status})`);
  const metadata = (await discovery.json()) as { authorization_endpoint: string; token_endpoint: string };

  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(16).toString('base64url');
  const authorization = new URL(metadata.authorization_endpoint);
  authorization.search = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope: request.scope ?? 'openid profile api',
    resource,
    state,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();

  const cookies = new Cookies();
  let next: { url: string; form?: URLSearchParams } = { url: authorization.toString() };
  let code: string | undefined;
  let loginSent = false;
  for (let step = 0; step < MAX_STEPS && code === undefined; step++) {
    const response = await fetch(next.url, {
      method: next.form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        cookie: cookies.header(),
        ...(next.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: next.form?.toString(),
    });
    cookies.store(response);
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      const target = new URL(location, next.url);
      if (`${target.origin}${target.pathname}` === redirectUri) {
        const params = target.searchParams;
        if (params.get('error')) throw new Error(`the issuer refused: ${params.get('error')}`);
        if (params.get('state') !== state) throw new Error('the issuer answered with another state');
        // RFC 9207: the answer names the issuer, so a code from another one is never sent to this token endpoint.
        if (params.get('iss') !== null && params.get('iss') !== issuer)
          throw new Error('the answer is from another issuer');
        code = params.get('code') ?? undefined;
        if (!code) throw new Error('the issuer redirected back without a code');
      } else {
        next = { url: target.toString() };
      }
      continue;
    }
    const html = await response.text();
    if (loginSent && response.status === 401) throw new Error(`sign-in refused for ${request.username}`);
    // The interaction pages post to /interaction/<uid>/login and /interaction/<uid>/confirm.
    const action = /<form method="post" action="([^"]*\/(login|confirm))">/.exec(html);
    if (!response.ok && !action) throw new Error(`the issuer answered ${response.status} during sign-in`);
    if (!action) throw new Error('the issuer showed a page without a sign-in form');
    const form = new URLSearchParams();
    if (action[2] === 'login') {
      if (loginSent) throw new Error(`sign-in refused for ${request.username}`);
      form.set('login', request.username);
      form.set('password', password);
      loginSent = true;
    }
    next = { url: new URL(action[1], next.url).toString(), form };
  }
  if (code === undefined) throw new Error('sign-in did not finish; the issuer kept asking');

  const exchange = await fetch(metadata.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      client_id: clientId,
      code_verifier: verifier,
      resource,
    }).toString(),
  });
  const tokens = (await exchange.json()) as {
    access_token?: string;
    id_token?: string;
    expires_in?: number;
    error?: string;
  };
  if (!exchange.ok || !tokens.access_token) {
    throw new Error(`the token endpoint refused the code: ${tokens.error ?? exchange.status}`);
  }
  return { accessToken: tokens.access_token, idToken: tokens.id_token, expiresIn: tokens.expires_in ?? 0 };
}

export async function mintDevToken(request: DevTokenRequest): Promise<string> {
  return (await mintDevTokens(request)).accessToken;
}

function defaultIssuer(env: NodeJS.ProcessEnv): string {
  return env.DEV_ISSUER_URL || `http://127.0.0.1:${env.DEV_ISSUER_PORT || DEV_ISSUER_DEFAULT_PORT}`;
}

/** `dev-token <username> [--issuer URL]`: the access token on standard output, nothing else. */
export async function devTokenCli(argv: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const args = [...argv];
  const at = args.indexOf('--issuer');
  const issuer = at >= 0 ? args.splice(at, 2)[1] : defaultIssuer(env);
  const [username] = args;
  if (!username || args.length !== 1 || !issuer) {
    throw new Error(
      `usage: npm run dev:token -- <username> [--issuer URL]\ndemo accounts: ${DEV_USERS.map((u) => u.username).join(', ')}`,
    );
  }
  if (!findDevUser(username)) {
    throw new Error(`no demo account ${username}; one of: ${DEV_USERS.map((u) => u.username).join(', ')}`);
  }
  return mintDevToken({ issuer, username });
}

if (require.main === module) {
  devTokenCli(process.argv.slice(2), process.env).then(
    (token) => process.stdout.write(`${token}\n`),
    (error: unknown) => {
      const text = error instanceof Error ? error.message : String(error);
      const refused = (error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED';
      console.error(refused ? `${text}: is the development issuer running (npm start)?` : text);
      process.exit(1);
    },
  );
}

// Sign-in with OpenID Connect: authorization code + PKCE (RFC 7636) against the issuer the API names in
// /app/config.json (apps/api/src/web-app.ts), as a public client: no secret in the browser. The browser calls the
// issuer's discovery document and token endpoint itself, which the API's Content-Security-Policy allows for that one
// origin (apps/api/src/core/hardening.ts).

/** What the API tells the app about sign-in; `issuer` is absent when the API has no issuer configured. */
export interface SignInConfig {
  issuer?: string;
  clientId?: string;
  /** The API's identifier at the issuer (RFC 8707 resource). */
  audience?: string;
}

interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  end_session_endpoint?: string;
}

export interface Tokens {
  accessToken: string;
  idToken?: string;
}

/** The claims of the access token the app shows and acts on; the API checks the token itself. */
export interface AccessClaims {
  sub: string;
  name: string;
  agency: string;
  roles: string[];
  /** Seconds since the epoch. */
  exp: number;
}

/** Survives the round trip to the issuer (this tab only) and is removed when the code comes back. */
interface PendingSignIn {
  state: string;
  verifier: string;
  returnTo: string;
}

const PENDING_KEY = 'exit-pathways.sign-in';
export const CALLBACK_PATH = '/app/auth/callback';
const SCOPE = 'openid profile api';

let configPromise: Promise<{ config: SignInConfig; discovery?: Discovery }> | undefined;

async function loadConfig(): Promise<{ config: SignInConfig; discovery?: Discovery }> {
  configPromise ??= (async () => {
    const response = await fetch('/app/config.json', { headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`config.json: ${response.status}`);
    const config = (await response.json()) as SignInConfig;
    if (!config.issuer) return { config };
    const found = await fetch(`${config.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
    if (!found.ok) throw new Error(`discovery: ${found.status}`);
    const discovery = (await found.json()) as Discovery;
    // A discovery document naming another issuer is not this issuer's (OpenID Connect Discovery § 4.3).
    if (discovery.issuer !== config.issuer) throw new Error('discovery names another issuer');
    return { config, discovery };
  })();
  // A failed attempt (the issuer briefly down) may be retried by pressing "Log ind" again.
  configPromise.catch(() => (configPromise = undefined));
  return configPromise;
}

function randomText(bytes = 32): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

function base64Url(data: Uint8Array): string {
  return btoa(String.fromCharCode(...data))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/** Leaves the app for the issuer's sign-in page; `returnTo` is the app path to come back to. */
export async function startSignIn(returnTo: string): Promise<void> {
  const { config, discovery } = await loadConfig();
  if (!discovery || !config.clientId) throw new Error('sign-in is not configured');
  const pending: PendingSignIn = { state: randomText(), verifier: randomText(), returnTo };
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  const challenge = base64Url(
    new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(pending.verifier))),
  );
  const url = new URL(discovery.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: `${window.location.origin}${CALLBACK_PATH}`,
    scope: SCOPE,
    state: pending.state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...(config.audience ? { resource: config.audience } : {}),
  }).toString();
  window.location.assign(url.toString());
}

/** Trades the code in the callback URL for tokens; answers the tokens and the app path to return to. */
export async function finishSignIn(search: string): Promise<{ tokens: Tokens; returnTo: string }> {
  const params = new URLSearchParams(search);
  const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? 'null') as PendingSignIn | null;
  sessionStorage.removeItem(PENDING_KEY);
  if (!pending || params.get('state') !== pending.state) throw new Error('no sign-in was started here');
  if (params.get('error')) throw new Error(`the issuer refused: ${params.get('error')}`);
  const code = params.get('code');
  const { config, discovery } = await loadConfig();
  if (!code || !discovery || !config.clientId) throw new Error('no code');
  // RFC 9207: a code answered in another issuer's name is never sent to this token endpoint.
  const iss = params.get('iss');
  if (iss !== null && iss !== discovery.issuer) throw new Error('the answer names another issuer');
  const response = await fetch(discovery.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: `${window.location.origin}${CALLBACK_PATH}`,
      client_id: config.clientId,
      code_verifier: pending.verifier,
      ...(config.audience ? { resource: config.audience } : {}),
    }),
  });
  const body = (await response.json()) as { access_token?: string; id_token?: string };
  if (!response.ok || !body.access_token) throw new Error(`the token endpoint refused the code: ${response.status}`);
  return { tokens: { accessToken: body.access_token, idToken: body.id_token }, returnTo: pending.returnTo };
}

/** Where "Log ud" sends the browser so the issuer ends its session too; undefined when it has no end_session. */
export async function endSessionUrl(idToken: string | undefined): Promise<string | undefined> {
  try {
    const { config, discovery } = await loadConfig();
    if (!discovery?.end_session_endpoint || !config.clientId) return undefined;
    const url = new URL(discovery.end_session_endpoint);
    url.search = new URLSearchParams({
      client_id: config.clientId,
      post_logout_redirect_uri: `${window.location.origin}/app/`,
      ...(idToken ? { id_token_hint: idToken } : {}),
    }).toString();
    return url.toString();
  } catch {
    // The issuer unreachable: the app's own session is gone anyway.
    return undefined;
  }
}

/**
 * The claims of a JWT access token, read without checking the signature: the API checks it on every request, the
 * app only needs to know whom to show and when the token runs out.
 */
export function readAccessClaims(accessToken: string): AccessClaims | undefined {
  try {
    const payload = accessToken.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = new TextDecoder().decode(Uint8Array.from(atob(payload), (c) => c.charCodeAt(0)));
    const claims = JSON.parse(json) as Partial<AccessClaims>;
    if (typeof claims.sub !== 'string' || typeof claims.agency !== 'string' || typeof claims.exp !== 'number') {
      return undefined;
    }
    return {
      sub: claims.sub,
      name: typeof claims.name === 'string' ? claims.name : claims.sub,
      agency: claims.agency,
      roles: Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === 'string') : [],
      exp: claims.exp,
    };
  } catch {
    return undefined;
  }
}

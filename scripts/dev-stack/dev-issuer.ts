// DEVELOPMENT ONLY: an OpenID Provider (the `oidc-provider` library) for `npm start` and the tests, so the API can be
// called with real sign-in tokens without an identity provider installed. It listens on 127.0.0.1 only, keeps
// everything in memory, signs with a key made at start (tokens die with the process), knows only the demo accounts
// of scripts/dev-stack/dev-accounts.ts, whose passwords README.md publishes, and refuses to start with
// NODE_ENV=production. Production uses the organisation's own provider (Entra ID, AD FS, Keycloak); oidc-provider is
// a devDependency, so the production image (the Dockerfile prunes them) does not even contain it.
//
// It offers:
// - a public client for the web app (authorization code + PKCE), redirect URIs from DEV_ISSUER_REDIRECT_URIS;
// - a public native client for `npm run dev:token` and the tests (scripts/dev-stack/dev-token.ts), which sign in
//   through the same login and consent pages a person would;
// - JWT access tokens for one resource, the API (RFC 8707 resource indicators), carrying the name, agency and roles.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import Provider, { errors, type Configuration, type InteractionResults } from 'oidc-provider';
import {
  DEV_API_SCOPE,
  DEV_AUDIENCE,
  DEV_ISSUER_DEFAULT_PORT,
  DEV_TOKEN_CLIENT_ID,
  DEV_TOKEN_REDIRECT_URI,
  DEV_USERS,
  DEV_WEB_CLIENT_ID,
  DEV_WEB_REDIRECT_URIS,
  type DevUser,
} from './dev-accounts';

export interface DevIssuerOptions {
  /** 0 picks a free port. */
  port?: number;
  audience?: string;
  webRedirectUris?: string[];
  accessTokenTtlSeconds?: number;
  /** A private signing key (JWK with kid); tests pass one to sign tokens of their own making with it. */
  signingKey?: JWK;
  users?: readonly DevUser[];
  /** Read for NODE_ENV; the process environment unless a test says otherwise. */
  env?: NodeJS.ProcessEnv;
}

export interface DevIssuer {
  /** The issuer identifier, also its base URL: http://127.0.0.1:<port>. */
  issuer: string;
  port: number;
  audience: string;
  close(): Promise<void>;
}

export async function startDevIssuer(options: DevIssuerOptions = {}): Promise<DevIssuer> {
  const env = options.env ?? process.env;
  if (env.NODE_ENV === 'production') {
    throw new Error('the development issuer does not run with NODE_ENV=production; use a real identity provider');
  }
  const audience = options.audience ?? DEV_AUDIENCE;
  const users = new Map((options.users ?? DEV_USERS).map((user) => [user.username, user]));
  const accessTokenTtl = options.accessTokenTtlSeconds ?? 3600;
  const signingKey = options.signingKey ?? (await newSigningKey());

  // The issuer URL carries the port, which is only known once listening (port 0 in tests).
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port ?? DEV_ISSUER_DEFAULT_PORT, host: '127.0.0.1', exclusive: true }, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;
  const webRedirectUris = options.webRedirectUris ?? DEV_WEB_REDIRECT_URIS;

  const configuration: Configuration = {
    clients: [
      {
        client_id: DEV_WEB_CLIENT_ID,
        application_type: 'web',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: webRedirectUris,
        // "Log ud" ends the session here too and comes back to the app's start (…/app/ for …/app/auth/callback).
        post_logout_redirect_uris: [...new Set(webRedirectUris.map((uri) => new URL('..', uri).toString()))],
      },
      {
        client_id: DEV_TOKEN_CLIENT_ID,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: [DEV_TOKEN_REDIRECT_URI],
      },
    ],
    // Public clients must use PKCE (S256); oidc-provider already insists, this keeps it so for every client.
    pkce: { required: () => true },
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    claims: { openid: ['sub'], profile: ['name', 'agency', 'roles'] },
    scopes: ['openid', 'profile', DEV_API_SCOPE],
    findAccount: (_ctx, id) => {
      const user = users.get(id);
      if (!user) return undefined;
      return { accountId: id, claims: () => ({ sub: id, name: user.name, agency: user.agency, roles: user.roles }) };
    },
    // The claims the API maps to a person (apps/api/src/auth/auth-config.ts's defaults), in the access token itself.
    extraTokenClaims: (_ctx, token) => {
      const user = 'accountId' in token && token.accountId ? users.get(token.accountId) : undefined;
      return user ? { name: user.name, agency: user.agency, roles: user.roles } : undefined;
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    // The OAuth error code and description are the library's fixed wording; no stack, no request data.
    renderError: (ctx, out) => {
      ctx.set(PAGE_HEADERS);
      ctx.body = pageHtml(
        'Sign-in failed',
        `<p>${escapeHtml(String(out.error))}: ${escapeHtml(String(out.error_description ?? ''))}</p>`,
      );
    },
    features: {
      // The library's own quick-start pages accept any password; ours below check the seeded ones.
      devInteractions: { enabled: false },
      // The library's sign-out pages load a web font and ask in English; these are plain like the login page.
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          ctx.set(PAGE_HEADERS);
          ctx.body = pageHtml(
            'Sign out',
            `${form}<p><button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button></p>` +
              '<p><button type="submit" form="op.logoutForm">No, stay signed in</button></p>',
          );
        },
        postLogoutSuccessSource: (ctx) => {
          ctx.set(PAGE_HEADERS);
          ctx.body = pageHtml('Signed out', '<p>You are signed out.</p>');
        },
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => audience,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => {
          if (resource !== audience) throw new errors.InvalidTarget();
          return {
            scope: DEV_API_SCOPE,
            audience,
            accessTokenTTL: accessTokenTtl,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    // The web app's browser code calls the token endpoint; only from its own origins.
    clientBasedCORS: (_ctx, origin, client) =>
      client.redirectUris?.some((uri) => new URL(uri).origin === origin) ?? false,
    ttl: {
      AccessToken: accessTokenTtl,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 600,
      Session: 8 * 3600,
      Grant: 8 * 3600,
    },
  };
  const provider = new Provider(issuer, configuration);
  const providerCallback = provider.callback();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', issuer).pathname;
    const interaction = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login|confirm|abort))?$/.exec(path);
    if (!interaction) {
      void providerCallback(req, res);
      return;
    }
    handleInteraction(provider, users, req, res, interaction[2]).catch((error: unknown) => {
      // An expired or unknown interaction (a stale browser tab); the detail stays on the server.
      const message = error instanceof errors.SessionNotFound ? 'This sign-in has expired; start again.' : undefined;
      if (!message) console.error('[dev-issuer] interaction failed:', error);
      if (!res.headersSent)
        page(res, 400, 'Sign-in', `<p>${escapeHtml(message ?? 'Sign-in failed; start again.')}</p>`);
      else res.end();
    });
  });

  return {
    issuer,
    port,
    audience,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function newSigningKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid: randomBytes(8).toString('hex'), alg: 'RS256', use: 'sig' };
}

async function handleInteraction(
  provider: Provider,
  users: Map<string, DevUser>,
  req: IncomingMessage,
  res: ServerResponse,
  action: string | undefined,
): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  const { uid, prompt, params, session } = details;
  const clientId = String(params.client_id);

  if (req.method === 'GET' && action === undefined) {
    if (prompt.name === 'login') return loginPage(res, uid, clientId);
    return consentPage(res, uid, clientId, String(params.scope ?? ''));
  }
  if (req.method !== 'POST' || action === undefined) return page(res, 405, 'Sign-in', '<p>Not allowed.</p>');

  if (action === 'abort') {
    const result: InteractionResults = { error: 'access_denied', error_description: 'the person cancelled sign-in' };
    return provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
  }
  if (action === 'login') {
    if (prompt.name !== 'login') return page(res, 400, 'Sign-in', '<p>Already signed in; start again.</p>');
    const form = await readForm(req);
    const user = users.get(form.get('login') ?? '');
    if (!user || !samePassword(form.get('password') ?? '', user.password)) {
      return loginPage(res, uid, clientId, 'Unknown user name or wrong password.');
    }
    const result: InteractionResults = { login: { accountId: user.username } };
    return provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
  }
  // confirm: grant what the client asked for, as a person pressing "Allow" would.
  if (prompt.name !== 'consent' || !session?.accountId) {
    return page(res, 400, 'Sign-in', '<p>Nothing to confirm; start again.</p>');
  }
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId: session.accountId, clientId });
  if (!grant) return page(res, 400, 'Sign-in', '<p>This sign-in has expired; start again.</p>');
  const missing = prompt.details as {
    missingOIDCScope?: string[];
    missingOIDCClaims?: string[];
    missingResourceScopes?: Record<string, string[]>;
  };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
    grant.addResourceScope(resource, scopes.join(' '));
  }
  const result: InteractionResults = { consent: { grantId: await grant.save() } };
  return provider.interactionFinished(req, res, result, { mergeWithLastSubmission: true });
}

function samePassword(given: string, expected: string): boolean {
  const [a, b] = [Buffer.from(given), Buffer.from(expected)];
  return a.length === b.length && timingSafeEqual(a, b);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > 10_000) throw new Error('form too large');
  }
  return new URLSearchParams(body);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  // Browsers hold a form's redirects to form-action too: the consent and sign-out forms end in a redirect to the web
  // app (its callback, its start page), which in development is on loopback on some other port.
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http://127.0.0.1:* http://localhost:*",
  'x-frame-options': 'DENY',
};

function page(res: ServerResponse, status: number, title: string, body: string): void {
  res.writeHead(status, PAGE_HEADERS);
  res.end(pageHtml(title, body));
}

function pageHtml(title: string, body: string): string {
  return (
    `<!doctype html><html lang="da"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
    '<body style="font-family:sans-serif;max-width:28rem;margin:3rem auto">' +
    '<p style="background:#fde68a;padding:.5rem">Development sign-in only: demo accounts, not for real data.</p>' +
    `<h1>${escapeHtml(title)}</h1>${body}</body></html>`
  );
}

function loginPage(res: ServerResponse, uid: string, clientId: string, error?: string): void {
  page(
    res,
    error ? 401 : 200,
    'Sign in to Exit Pathways',
    `${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}` +
      `<p>Client: ${escapeHtml(clientId)}</p>` +
      `<form method="post" action="/interaction/${escapeHtml(uid)}/login">` +
      '<p><label>User name <input name="login" autocomplete="username" required autofocus></label></p>' +
      '<p><label>Password <input name="password" type="password" autocomplete="current-password" required>' +
      '</label></p><p><button type="submit">Sign in</button></p></form>' +
      `<form method="post" action="/interaction/${escapeHtml(uid)}/abort"><button type="submit">Cancel</button></form>`,
  );
}

function consentPage(res: ServerResponse, uid: string, clientId: string, scope: string): void {
  page(
    res,
    200,
    'Allow access',
    `<p>${escapeHtml(clientId)} asks for: ${escapeHtml(scope)}</p>` +
      `<form method="post" action="/interaction/${escapeHtml(uid)}/confirm"><button type="submit">Allow</button></form>` +
      `<form method="post" action="/interaction/${escapeHtml(uid)}/abort"><button type="submit">Cancel</button></form>`,
  );
}

/** `node dist/scripts/dev-stack/dev-issuer.js`: runs until SIGINT/SIGTERM (scripts/stack.ts starts it this way). */
async function main(): Promise<void> {
  const text = process.env.DEV_ISSUER_PORT;
  const port = text ? Number(text) : DEV_ISSUER_DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error('DEV_ISSUER_PORT must be a port number');
  const redirects = process.env.DEV_ISSUER_REDIRECT_URIS;
  const issuer = await startDevIssuer({
    port,
    webRedirectUris: redirects ? redirects.split(',').map((uri) => uri.trim()) : undefined,
  });
  process.stdout.write(`DEVELOPMENT issuer (demo accounts only) at ${issuer.issuer}, audience ${issuer.audience}\n`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void issuer.close().then(() => process.exit(0)));
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`[dev-issuer] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}

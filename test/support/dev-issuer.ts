// The development issuer (scripts/dev-stack/dev-issuer.ts) in this process on a free port, with a signing key the
// test knows, and real sign-ins for tokens: the same authorization code + PKCE flow `npm run dev:token` performs.
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK, type JWTPayload } from 'jose';
import { authConfigFromEnv, type AuthConfig } from '../../apps/api/src/auth/auth-config';
import { startDevIssuer, type DevIssuerOptions } from '../../scripts/dev-stack/dev-issuer';
import { mintDevToken, type DevTokenRequest } from '../../scripts/dev-stack/dev-token';

export interface TestIssuer {
  issuer: string;
  audience: string;
  /** The issuer's private signing key, for tokens a test makes itself (a claim left out, a wrong audience). */
  signingKey: JWK;
  /** An access token for a demo account, from a real sign-in. */
  token(username: string, request?: Partial<DevTokenRequest>): Promise<string>;
  /** A token signed with the issuer's own key but with the claims and header the test chooses. */
  sign(payload: JWTPayload, header?: { alg?: string; typ?: string; kid?: string }): Promise<string>;
  /** The API's configuration for this issuer, through the same validation as at boot. */
  authConfig(env?: NodeJS.ProcessEnv): AuthConfig;
  stop(): Promise<void>;
}

export async function newSigningKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid: `test-${Math.random().toString(36).slice(2)}`, alg: 'RS256' };
}

export async function startTestIssuer(options: Omit<DevIssuerOptions, 'port'> = {}): Promise<TestIssuer> {
  const signingKey = options.signingKey ?? (await newSigningKey());
  const dev = await quietly(() => startDevIssuer({ ...options, port: 0, signingKey, env: options.env ?? {} }));
  return {
    issuer: dev.issuer,
    audience: dev.audience,
    signingKey,
    token: (username, request = {}) => mintDevToken({ issuer: dev.issuer, username, ...request }),
    async sign(payload, header = {}) {
      const { alg = 'RS256', typ = 'at+jwt', kid = signingKey.kid } = header;
      const key = await importJWK(signingKey, 'RS256');
      return new SignJWT({ iss: dev.issuer, aud: dev.audience, ...payload })
        .setProtectedHeader({ alg, typ, kid })
        .setIssuedAt()
        .setExpirationTime(payload.exp ?? '10m')
        .sign(key);
    },
    authConfig: (env = {}) => authConfigFromEnv({ OIDC_ISSUER: dev.issuer, OIDC_AUDIENCE: dev.audience, ...env }),
    stop: () => dev.close(),
  };
}

// oidc-provider warns on every start that it keeps its data in memory and prefers Node 22; both are known and
// intended for the development issuer, and would bury a test's own output.
async function quietly<T>(start: () => Promise<T>): Promise<T> {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!String(args[0]).startsWith('oidc-provider WARNING')) warn(...args);
  };
  try {
    return await start();
  } finally {
    console.warn = warn;
  }
}

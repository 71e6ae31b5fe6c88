// How the API checks sign-in tokens: which issuer, for which audience, with which keys and which claim names. One
// validated read of the environment at boot, like apps/api/src/config.ts, so a typo stops the API before it serves.

export interface ClaimNames {
  /** Each is a claim name, or a dotted path into nested claims (Keycloak's `realm_access.roles`). */
  userId: string;
  displayName: string;
  agency: string;
  roles: string;
}

export interface AuthConfig {
  /** Compared exactly with the token's `iss`; also where discovery is read when no JWKS URI is given. */
  issuer: string;
  /** The token's `aud` must contain it: the identifier of this API at the identity provider. */
  audience: string;
  /** The issuer's signing keys; read from the discovery document when unset. */
  jwksUri?: URL;
  algorithms: string[];
  /** How far apart this server's clock and the issuer's may be when checking exp, nbf and iat. */
  clockToleranceSeconds: number;
  /** When set, the token's `typ` header must equal it (`at+jwt` for RFC 9068 access tokens). */
  tokenType?: string;
  claims: ClaimNames;
  /** Plain-http issuer and key URLs on other hosts than this one; only for a private network (docker-compose). */
  allowInsecureHttp: boolean;
}

/**
 * Signature algorithms with a public key. Symmetric ones (HS*) are never accepted: their key would be a secret shared
 * with the issuer, and a JWKS is public. `none` is no signature at all.
 */
export const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
] as const;

export const DEFAULT_ALGORITHMS = ['RS256', 'PS256', 'ES256'];
export const DEFAULT_CLAIM_NAMES: ClaimNames = {
  userId: 'sub',
  displayName: 'name',
  agency: 'agency',
  roles: 'roles',
};
const MAX_CLOCK_TOLERANCE_SECONDS = 300;
// A claim name as issuers spell them: `agency`, `realm_access.roles`, or Entra's URI-shaped names.
const CLAIM_NAME = /^[A-Za-z0-9_:/.#-]{1,200}$/;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

function secureUrl(name: string, text: string, allowInsecureHttp: boolean): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`${name} must be an absolute URL`);
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol !== 'http:') throw new Error(`${name} must be an https URL`);
  // Keys fetched over plain http from another host could be swapped on the way, and with them every identity.
  if (!LOOPBACK_HOSTS.has(url.hostname) && !allowInsecureHttp) {
    throw new Error(`${name} must be an https URL (plain http only on 127.0.0.1, or with OIDC_ALLOW_INSECURE_HTTP)`);
  }
  return url;
}

function claimName(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const value = env[name]?.trim() || fallback;
  if (!CLAIM_NAME.test(value) || value.split('.').some((part) => part === '')) {
    throw new Error(`${name} must be a claim name or a dotted path of claim names`);
  }
  return value;
}

export function authConfigFromEnv(env: NodeJS.ProcessEnv): AuthConfig {
  const allowInsecureHttp = env.OIDC_ALLOW_INSECURE_HTTP === 'true';
  if (!['', 'true', 'false', undefined].includes(env.OIDC_ALLOW_INSECURE_HTTP)) {
    throw new Error('OIDC_ALLOW_INSECURE_HTTP must be true or false');
  }
  if (!env.OIDC_ISSUER) throw new Error('OIDC_ISSUER is required (the identity provider issuing sign-in tokens)');
  const issuer = env.OIDC_ISSUER;
  secureUrl('OIDC_ISSUER', issuer, allowInsecureHttp);
  const audience = env.OIDC_AUDIENCE?.trim();
  if (!audience) throw new Error('OIDC_AUDIENCE is required (the identifier of this API at the identity provider)');
  const jwksUri = env.OIDC_JWKS_URI ? secureUrl('OIDC_JWKS_URI', env.OIDC_JWKS_URI, allowInsecureHttp) : undefined;

  const algorithms = env.OIDC_ALGORITHMS
    ? env.OIDC_ALGORITHMS.split(',').map((alg) => alg.trim())
    : [...DEFAULT_ALGORITHMS];
  const refused = algorithms.filter((alg) => !(ASYMMETRIC_ALGORITHMS as readonly string[]).includes(alg));
  if (algorithms.length === 0 || refused.length > 0) {
    throw new Error(`OIDC_ALGORITHMS must list algorithms among ${ASYMMETRIC_ALGORITHMS.join(', ')}`);
  }

  const tolerance = Number(env.OIDC_CLOCK_TOLERANCE_SECONDS || 30);
  if (!Number.isInteger(tolerance) || tolerance < 0 || tolerance > MAX_CLOCK_TOLERANCE_SECONDS) {
    throw new Error(`OIDC_CLOCK_TOLERANCE_SECONDS must be a whole number from 0 to ${MAX_CLOCK_TOLERANCE_SECONDS}`);
  }
  const tokenType = env.OIDC_TOKEN_TYPE?.trim() || undefined;

  return {
    issuer,
    audience,
    jwksUri,
    algorithms,
    clockToleranceSeconds: tolerance,
    tokenType,
    claims: {
      userId: claimName(env, 'OIDC_CLAIM_USER_ID', DEFAULT_CLAIM_NAMES.userId),
      displayName: claimName(env, 'OIDC_CLAIM_NAME', DEFAULT_CLAIM_NAMES.displayName),
      agency: claimName(env, 'OIDC_CLAIM_AGENCY', DEFAULT_CLAIM_NAMES.agency),
      roles: claimName(env, 'OIDC_CLAIM_ROLES', DEFAULT_CLAIM_NAMES.roles),
    },
    allowInsecureHttp,
  };
}

// The API as an OAuth 2 resource server: a bearer token is a JWT access token signed by the configured issuer,
// checked with `jose` (signature against the issuer's published keys, issuer, audience, expiry with a clock
// tolerance, allowed algorithms), then its claims are mapped to the Principal of libs/domain/src/roles.ts. Claim
// names come from configuration (apps/api/src/auth/auth-config.ts) so Entra ID, AD FS or Keycloak can be mapped.
//
// Refusals say what is wrong with the token in fixed words and never echo a claim's value: a token's contents are
// the caller's to read, not ours to repeat into responses or logs.
import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import {
  AGENCY_CODE_PATTERN,
  AGENCY_SEED,
  AGENCY_SEED_V2,
  EXTERNAL_AGENCY_SEED,
  normaliseRoles,
  rolesRefusal,
  type AgencyKind,
  type Principal,
  type Role,
} from '../../../../libs/domain/src';
import type { AuthConfig } from './auth-config';

/** Which agencies exist and of what kind; the database in production, the seed lists in tests. */
export interface AgencyDirectory {
  kindOf(code: string): Promise<AgencyKind | undefined>;
}

/** The seeded agencies (libs/domain/src/agencies.ts): the partnership's own and the external partners. */
export const SEEDED_AGENCIES: AgencyDirectory = {
  kindOf: (code) => {
    if ([...AGENCY_SEED, ...AGENCY_SEED_V2].some((agency) => agency.code === code)) return Promise.resolve('PARTNER');
    if (EXTERNAL_AGENCY_SEED.some((agency) => agency.code === code)) return Promise.resolve('EXTERNAL');
    return Promise.resolve(undefined);
  },
};

/**
 * - 401 missing_token / invalid_token: no usable token; the client signs in (again).
 * - 403 unknown_principal: a genuine token for someone this service cannot place (agency or role unknown).
 * - 503 issuer_unavailable: the issuer's keys cannot be read just now; the token may well be good.
 */
export type TokenRejectionCode = 'missing_token' | 'invalid_token' | 'unknown_principal' | 'issuer_unavailable';

const STATUS: Record<TokenRejectionCode, 401 | 403 | 503> = {
  missing_token: 401,
  invalid_token: 401,
  unknown_principal: 403,
  issuer_unavailable: 503,
};

export class TokenRejected extends Error {
  readonly status: 401 | 403 | 503;

  constructor(
    readonly code: TokenRejectionCode,
    message: string,
  ) {
    super(message);
    this.name = 'TokenRejected';
    this.status = STATUS[code];
  }

  /** The WWW-Authenticate header of a 401 (RFC 6750 § 3); none for the other statuses. */
  get wwwAuthenticate(): string | undefined {
    if (this.code === 'missing_token') return 'Bearer';
    if (this.code === 'invalid_token') return `Bearer error="invalid_token", error_description="${this.message}"`;
    return undefined;
  }
}

export interface TokenVerifierOptions {
  /** The clock tokens are checked against; tests move it to see a real token expire. */
  now?: () => Date;
  /** How long to wait for the issuer's discovery document or keys. */
  timeoutMs?: number;
}

const MAX_TOKEN_LENGTH = 16 * 1024;
const MAX_TEXT_CLAIM_LENGTH = 200;
// Control and format characters (bidi overrides, zero-width joiners) have no place in an id or a name shown to others.
const UNPRINTABLE = /[\p{Cc}\p{Cf}]/u;

const JOSE_MESSAGES: Record<string, string> = {
  ERR_JWT_EXPIRED: 'the token has expired',
  ERR_JOSE_ALG_NOT_ALLOWED: 'the token is signed with an algorithm this service does not accept',
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: 'the token signature does not verify',
  ERR_JWKS_NO_MATCHING_KEY: 'the token is not signed by a key of the expected issuer',
  ERR_JWKS_MULTIPLE_MATCHING_KEYS: 'the token is not signed by a key of the expected issuer',
  ERR_JWS_INVALID: 'the token is not a well-formed signed JWT',
  ERR_JWT_INVALID: 'the token is not a well-formed signed JWT',
  ERR_JOSE_NOT_SUPPORTED: 'the token uses a form this service does not accept',
};

const CLAIM_MESSAGES: Record<string, string> = {
  iss: 'the token was issued by another issuer',
  aud: 'the token is meant for another audience',
  nbf: 'the token is not valid yet',
  iat: 'the token has an issue time in the future',
  typ: 'the token is not an access token',
};

/** Thrown by the key lookup when the issuer itself cannot be reached, so it is not mistaken for a bad token. */
class IssuerUnavailable extends Error {}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A claim by its exact name, else by walking a dotted path (`realm_access.roles`). */
export function readClaim(payload: JWTPayload, name: string): unknown {
  if (Object.prototype.hasOwnProperty.call(payload, name)) return payload[name];
  let node: unknown = payload;
  for (const part of name.split('.')) {
    if (node === null || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, part)) {
      return undefined;
    }
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

function textClaim(payload: JWTPayload, claim: string, what: string): string {
  const value = readClaim(payload, claim);
  if (typeof value !== 'string' || value.trim() === '') {
    throw new TokenRejected('invalid_token', `the token does not state the ${what}`);
  }
  const text = value.normalize('NFC').trim();
  if (text.length > MAX_TEXT_CLAIM_LENGTH || UNPRINTABLE.test(text)) {
    throw new TokenRejected('invalid_token', `the token states the ${what} in a form this service does not accept`);
  }
  return text;
}

function roleNames(payload: JWTPayload, claim: string): string[] {
  const value = readClaim(payload, claim);
  // AD FS and some mappers send a lone role as a plain string rather than a one-element array.
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0 || !list.every((role) => typeof role === 'string')) {
    throw new TokenRejected('invalid_token', 'the token does not state the roles');
  }
  return list as string[];
}

export class TokenVerifier {
  private keys: JWTVerifyGetKey | undefined;
  private keysLoading: Promise<JWTVerifyGetKey> | undefined;
  private readonly now: () => Date;
  private readonly timeoutMs: number;

  constructor(
    private readonly config: AuthConfig,
    private readonly agencies: AgencyDirectory,
    options: TokenVerifierOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.timeoutMs = options.timeoutMs ?? 5000;
  }

  /** The person behind an `Authorization` header value (`Bearer <token>`). */
  async authenticate(authorization: string | undefined): Promise<Principal> {
    if (authorization === undefined || authorization.trim() === '') {
      throw new TokenRejected('missing_token', 'sign in: this request needs a bearer token');
    }
    const match = /^Bearer +([A-Za-z0-9\-_.~+/]+=*) *$/i.exec(authorization);
    if (!match) throw new TokenRejected('invalid_token', 'the Authorization header must be "Bearer <token>"');
    return this.verify(match[1]);
  }

  /** The person behind a bearer token, or TokenRejected saying why not. */
  async verify(token: string): Promise<Principal> {
    if (token.length > MAX_TOKEN_LENGTH) throw new TokenRejected('invalid_token', 'the token is too long');
    const keys = await this.signingKeys();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: this.config.issuer,
        audience: this.config.audience,
        algorithms: this.config.algorithms,
        clockTolerance: this.config.clockToleranceSeconds,
        typ: this.config.tokenType,
        // An access token without an expiry would be good forever.
        requiredClaims: ['exp'],
        currentDate: this.now(),
      }));
    } catch (error) {
      throw this.rejection(error);
    }
    return this.principal(payload);
  }

  private rejection(error: unknown): Error {
    if (error instanceof IssuerUnavailable) {
      return new TokenRejected('issuer_unavailable', 'the sign-in service cannot be reached; try again shortly');
    }
    const code = codeOf(error);
    if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') {
      const claim = (error as { claim?: string }).claim ?? '';
      return new TokenRejected('invalid_token', CLAIM_MESSAGES[claim] ?? 'the token lacks a required claim');
    }
    if (code && JOSE_MESSAGES[code]) return new TokenRejected('invalid_token', JOSE_MESSAGES[code]);
    // Anything else from jose is still about the token; a bug of ours would not carry a JOSE code.
    if (code?.startsWith('ERR_J')) return new TokenRejected('invalid_token', 'the token is not valid');
    return error instanceof Error ? error : new Error(String(error));
  }

  private async principal(payload: JWTPayload): Promise<Principal> {
    const { claims } = this.config;
    const userId = textClaim(payload, claims.userId, 'user id');
    const displayName = textClaim(payload, claims.displayName, 'name');
    const agency = readClaim(payload, claims.agency);
    if (typeof agency !== 'string' || agency === '') {
      throw new TokenRejected('invalid_token', 'the token does not state an agency');
    }
    const roles = roleNames(payload, claims.roles);
    const agencyKind = AGENCY_CODE_PATTERN.test(agency) ? await this.agencies.kindOf(agency) : undefined;
    if (!agencyKind)
      throw new TokenRejected('unknown_principal', 'the token names an agency this service does not know');
    const refusal = rolesRefusal(roles, agencyKind);
    if (refusal) throw new TokenRejected('unknown_principal', `the token carries ${refusal}`);
    return { userId, displayName, agency, agencyKind, roles: normaliseRoles(roles as Role[]) };
  }

  private async signingKeys(): Promise<JWTVerifyGetKey> {
    if (this.keys) return this.keys;
    // One discovery at a time; a failed one is forgotten so the next request tries again.
    this.keysLoading ??= this.loadSigningKeys().finally(() => (this.keysLoading = undefined));
    try {
      this.keys = await this.keysLoading;
    } catch (error) {
      throw this.rejection(error);
    }
    return this.keys;
  }

  private async loadSigningKeys(): Promise<JWTVerifyGetKey> {
    const jwksUri = this.config.jwksUri ?? (await this.discoverJwksUri());
    const remote = createRemoteJWKSet(jwksUri, { timeoutDuration: this.timeoutMs });
    return async (header, token) => {
      try {
        return await remote(header, token);
      } catch (error) {
        // No key with the token's kid is the token's fault; a failed fetch of the key set is not.
        const code = codeOf(error);
        if (code === 'ERR_JWKS_NO_MATCHING_KEY' || code === 'ERR_JWKS_MULTIPLE_MATCHING_KEYS') throw error;
        if (code === 'ERR_JOSE_NOT_SUPPORTED' || code === 'ERR_JOSE_ALG_NOT_ALLOWED') throw error;
        throw new IssuerUnavailable('the issuer key set could not be read');
      }
    };
  }

  private async discoverJwksUri(): Promise<URL> {
    const url = `${this.config.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    let document: { issuer?: unknown; jwks_uri?: unknown };
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(this.timeoutMs), redirect: 'error' });
      if (!response.ok) throw new Error(`discovery answered ${response.status}`);
      document = (await response.json()) as typeof document;
    } catch {
      throw new IssuerUnavailable('the issuer discovery document could not be read');
    }
    // OpenID Connect Discovery § 4.3: the document must be the configured issuer's own.
    if (document.issuer !== this.config.issuer || typeof document.jwks_uri !== 'string') {
      throw new Error('the discovery document does not belong to OIDC_ISSUER; check OIDC_ISSUER');
    }
    const jwksUri = new URL(document.jwks_uri);
    if (jwksUri.protocol !== 'https:' && new URL(this.config.issuer).protocol === 'https:') {
      throw new Error('the issuer publishes its keys over plain http; refusing them');
    }
    return jwksUri;
  }
}

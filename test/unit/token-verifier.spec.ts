// The API's token check against the real development issuer (oidc-provider, in this process on a free port): tokens
// come from real sign-ins of the demo accounts, or are signed by the test with the issuer's own key when a claim must
// be wrong. No Temporal or PostgreSQL needed, so it runs with the unit tests.
import { importJWK, SignJWT } from 'jose';
import type { AuthConfig } from '../../apps/api/src/auth/auth-config';
import { SEEDED_AGENCIES, TokenRejected, TokenVerifier } from '../../apps/api/src/auth/token-verifier';
import { DEV_USERS, DEV_WEB_CLIENT_ID } from '../../scripts/dev-stack/dev-accounts';
import { newSigningKey, startTestIssuer, type TestIssuer } from '../support/dev-issuer';

const verifierFor = (config: AuthConfig, now?: () => Date) => new TokenVerifier(config, SEEDED_AGENCIES, { now });

/** What the API would answer: the status and the reason, or the principal. */
async function outcome(verifier: TokenVerifier, token: string) {
  try {
    return { principal: await verifier.verify(token) };
  } catch (error) {
    if (!(error instanceof TokenRejected)) throw error;
    return { status: error.status, code: error.code, message: error.message };
  }
}

const payloadOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<string, unknown>;

const PERSON = { sub: 'u-1', name: 'Sagsbehandler', agency: 'EKI', roles: ['CASEWORKER'] };

describe('the token verifier, with the development issuer', () => {
  let issuer: TestIssuer;
  let verifier: TokenVerifier;

  beforeAll(async () => {
    issuer = await startTestIssuer();
    verifier = verifierFor(issuer.authConfig());
  });
  afterAll(() => issuer.stop());

  it('turns every demo account’s real sign-in into that person, agency and roles', async () => {
    for (const user of DEV_USERS) {
      const token = await issuer.token(user.username);
      const { principal } = await outcome(verifier, token);
      expect({ user: user.username, principal }).toEqual({
        user: user.username,
        principal: {
          userId: user.username,
          displayName: user.name,
          agency: user.agency,
          agencyKind: user.username.startsWith('ekstern-') ? 'EXTERNAL' : 'PARTNER',
          roles: user.roles,
        },
      });
    }
  });

  it('accepts the web app’s tokens too (its own public client, authorization code + PKCE)', async () => {
    const token = await issuer.token('ssp-teamleder', {
      clientId: DEV_WEB_CLIENT_ID,
      redirectUri: 'http://127.0.0.1:5173/app/auth/callback',
    });
    expect(payloadOf(token).client_id).toBe(DEV_WEB_CLIENT_ID);
    expect((await outcome(verifier, token)).principal).toMatchObject({
      agency: 'SSP',
      roles: ['CASEWORKER', 'TEAM_LEAD'],
    });
  });

  it('reads the bearer token from the Authorization header, and asks for one when it is missing', async () => {
    const token = await issuer.token('eki-sagsbehandler');
    await expect(verifier.authenticate(`Bearer ${token}`)).resolves.toMatchObject({ userId: 'eki-sagsbehandler' });
    const missing = await verifier.authenticate(undefined).catch((error: TokenRejected) => error);
    expect(missing).toMatchObject({ status: 401, code: 'missing_token', wwwAuthenticate: 'Bearer' });
    const basic = await verifier.authenticate('Basic ZWtpOnB3').catch((error: TokenRejected) => error);
    expect(basic).toMatchObject({ status: 401, code: 'invalid_token' });
    expect((basic as TokenRejected).wwwAuthenticate).toMatch(/^Bearer error="invalid_token"/);
  });

  it('refuses an expired token, allowing the configured clock skew', async () => {
    const token = await issuer.token('eki-sagsbehandler');
    const exp = payloadOf(token).exp as number;
    const at = (seconds: number) => () => new Date((exp + seconds) * 1000);
    const config = issuer.authConfig({ OIDC_CLOCK_TOLERANCE_SECONDS: '60' });
    expect((await outcome(verifierFor(config, at(45)), token)).principal?.userId).toBe('eki-sagsbehandler');
    expect(await outcome(verifierFor(config, at(75)), token)).toEqual({
      status: 401,
      code: 'invalid_token',
      message: 'the token has expired',
    });
  });

  it('refuses a token from another issuer, whether it signs with its own key or (misconfigured) the same one', async () => {
    const other = await startTestIssuer();
    const sameKey = await startTestIssuer({ signingKey: issuer.signingKey });
    try {
      expect(await outcome(verifier, await other.token('eki-sagsbehandler'))).toEqual({
        status: 401,
        code: 'invalid_token',
        message: 'the token is not signed by a key of the expected issuer',
      });
      expect(await outcome(verifier, await sameKey.token('eki-sagsbehandler'))).toEqual({
        status: 401,
        code: 'invalid_token',
        message: 'the token was issued by another issuer',
      });
    } finally {
      await Promise.all([other.stop(), sameKey.stop()]);
    }
  });

  it('refuses a token meant for another audience', async () => {
    const forOtherApi = verifierFor(issuer.authConfig({ OIDC_AUDIENCE: 'urn:another:api' }));
    const real = await issuer.token('eki-sagsbehandler');
    const signed = await issuer.sign({ ...PERSON, aud: 'urn:another:api' });
    for (const [check, token] of [
      [forOtherApi, real],
      [verifier, signed],
    ] as const) {
      expect(await outcome(check, token)).toEqual({
        status: 401,
        code: 'invalid_token',
        message: 'the token is meant for another audience',
      });
    }
  });

  it('refuses a tampered token: a changed signature, or a changed agency under the old signature', async () => {
    const token = await issuer.token('jobcenter-sagsbehandler');
    const [header, payload, signature] = token.split('.');
    const flipped = `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
    const promoted = Buffer.from(
      JSON.stringify({ ...payloadOf(token), agency: 'POLICE_EAS', roles: ['COORDINATOR'] }),
    ).toString('base64url');
    for (const tampered of [`${header}.${payload}.${flipped}`, `${header}.${promoted}.${signature}`]) {
      expect(await outcome(verifier, tampered)).toEqual({
        status: 401,
        code: 'invalid_token',
        message: 'the token signature does not verify',
      });
    }
  });

  it('refuses alg none, and an HMAC token keyed with the issuer’s public key', async () => {
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const claims = { ...PERSON, iss: issuer.issuer, aud: issuer.audience, exp: Math.floor(Date.now() / 1000) + 600 };
    const unsigned = `${encode({ alg: 'none', typ: 'at+jwt' })}.${encode(claims)}.`;
    // The classic confusion attack: the published public key used as an HMAC secret.
    const publicJwk = { e: issuer.signingKey.e, kty: 'RSA', n: issuer.signingKey.n };
    const confused = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', kid: issuer.signingKey.kid })
      .sign(new TextEncoder().encode(JSON.stringify(publicJwk)));
    for (const token of [unsigned, confused]) {
      expect(await outcome(verifier, token)).toEqual({
        status: 401,
        code: 'invalid_token',
        message: 'the token is signed with an algorithm this service does not accept',
      });
    }
  });

  it('refuses a genuine token that does not say who and for which agency (401), without the claim', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ...PERSON, agency: undefined }, 'the token does not state an agency'],
      [{ ...PERSON, roles: undefined }, 'the token does not state the roles'],
      [{ ...PERSON, roles: [] }, 'the token does not state the roles'],
      [{ ...PERSON, name: undefined }, 'the token does not state the name'],
      [{ ...PERSON, sub: undefined }, 'the token does not state the user id'],
      [{ ...PERSON, name: 'Sags\u202ebehandler' }, 'the token states the name in a form this service does not accept'],
    ];
    for (const [payload, message] of cases) {
      expect(await outcome(verifier, await issuer.sign(payload))).toEqual({
        status: 401,
        code: 'invalid_token',
        message,
      });
    }
  });

  it('refuses a genuine token for an agency or a role it does not know (403), never repeating the value', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ...PERSON, agency: 'SECRET_UNIT' }, 'the token names an agency this service does not know'],
      [{ ...PERSON, agency: 'eki; drop table' }, 'the token names an agency this service does not know'],
      [{ ...PERSON, roles: ['CASEWORKER', 'SUPERUSER'] }, 'the token carries a role this service does not know'],
      [
        { ...PERSON, agency: 'BOLIGFORENING', roles: ['ADMIN'] },
        'the token carries a role an external partner cannot hold',
      ],
    ];
    for (const [payload, message] of cases) {
      const answer = await outcome(verifier, await issuer.sign(payload));
      expect(answer).toEqual({ status: 403, code: 'unknown_principal', message });
      expect(answer.message).not.toMatch(/SECRET_UNIT|drop table|SUPERUSER|ADMIN/);
    }
  });

  it('refuses a token without an expiry, and, when configured, one that is not an access token', async () => {
    const key = await importJWK(issuer.signingKey, 'RS256');
    const forever = await new SignJWT({ ...PERSON, iss: issuer.issuer, aud: issuer.audience })
      .setProtectedHeader({ alg: 'RS256', kid: issuer.signingKey.kid })
      .sign(key);
    expect(payloadOf(forever).exp).toBeUndefined();
    expect(await outcome(verifier, forever)).toMatchObject({ status: 401, code: 'invalid_token' });
    const accessTokensOnly = verifierFor(issuer.authConfig({ OIDC_TOKEN_TYPE: 'at+jwt' }));
    const idLike = await issuer.sign(PERSON, { typ: 'JWT' });
    expect(await outcome(accessTokensOnly, idLike)).toEqual({
      status: 401,
      code: 'invalid_token',
      message: 'the token is not an access token',
    });
    expect((await outcome(accessTokensOnly, await issuer.token('leder'))).principal?.roles).toEqual(['MANAGER']);
  });

  it('maps other claim names, including a nested path such as Keycloak’s realm_access.roles', async () => {
    const keycloakish = verifierFor(
      issuer.authConfig({
        OIDC_CLAIM_USER_ID: 'oid',
        OIDC_CLAIM_NAME: 'given_name',
        OIDC_CLAIM_AGENCY: 'org.agency',
        OIDC_CLAIM_ROLES: 'realm_access.roles',
      }),
    );
    const token = await issuer.sign({
      sub: 'pairwise',
      oid: 'u-42',
      given_name: 'Revisor',
      org: { agency: 'SIKKER_BY' },
      realm_access: { roles: ['AUDITOR'] },
    });
    expect((await outcome(keycloakish, token)).principal).toEqual({
      userId: 'u-42',
      displayName: 'Revisor',
      agency: 'SIKKER_BY',
      agencyKind: 'PARTNER',
      roles: ['AUDITOR'],
    });
  });

  it('reads the keys from OIDC_JWKS_URI when given, instead of discovery', async () => {
    const direct = verifierFor(issuer.authConfig({ OIDC_JWKS_URI: `${issuer.issuer}/jwks` }));
    expect((await outcome(direct, await issuer.token('admin'))).principal?.roles).toEqual(['ADMIN']);
  });

  it('answers 503, not 401, while the issuer cannot be reached', async () => {
    const key = await newSigningKey();
    const first = await startTestIssuer({ signingKey: key });
    const token = await first.token('eki-sagsbehandler');
    const config = first.authConfig();
    await first.stop();
    const cold = verifierFor(config);
    expect(await outcome(cold, token)).toEqual({
      status: 503,
      code: 'issuer_unavailable',
      message: 'the sign-in service cannot be reached; try again shortly',
    });
  });
});

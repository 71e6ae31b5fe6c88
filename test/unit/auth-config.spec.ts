// The sign-in settings are read once at boot; a wrong one stops the API with the variable's name, never later.
import { authConfigFromEnv } from '../../apps/api/src/auth/auth-config';
import { apiConfigFromEnv } from '../../apps/api/src/config';
import { ROLES, rolesRefusal, normaliseRoles } from '../../libs/domain/src';

const BASE = { OIDC_ISSUER: 'https://login.example.dk/realms/exit', OIDC_AUDIENCE: 'urn:exit-pathways:api' };

describe('sign-in configuration', () => {
  it('has defaults for everything but the issuer and the audience', () => {
    expect(authConfigFromEnv(BASE)).toEqual({
      issuer: BASE.OIDC_ISSUER,
      audience: BASE.OIDC_AUDIENCE,
      jwksUri: undefined,
      algorithms: ['RS256', 'PS256', 'ES256'],
      clockToleranceSeconds: 30,
      tokenType: undefined,
      claims: { userId: 'sub', displayName: 'name', agency: 'agency', roles: 'roles' },
      allowInsecureHttp: false,
    });
  });

  it('takes claim names, nested paths and URI-shaped names from the environment', () => {
    const config = authConfigFromEnv({
      ...BASE,
      OIDC_CLAIM_USER_ID: 'oid',
      OIDC_CLAIM_NAME: 'preferred_username',
      OIDC_CLAIM_AGENCY: 'extension_agency',
      OIDC_CLAIM_ROLES: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role',
    });
    expect(config.claims).toEqual({
      userId: 'oid',
      displayName: 'preferred_username',
      agency: 'extension_agency',
      roles: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role',
    });
  });

  it.each([
    [{ OIDC_ISSUER: undefined }, 'OIDC_ISSUER is required'],
    [{ OIDC_AUDIENCE: ' ' }, 'OIDC_AUDIENCE is required'],
    [{ OIDC_ISSUER: 'login.example.dk' }, 'OIDC_ISSUER must be an absolute URL'],
    [{ OIDC_ISSUER: 'http://login.example.dk/realms/exit' }, 'OIDC_ISSUER must be an https URL'],
    [{ OIDC_JWKS_URI: 'http://keycloak:8080/certs' }, 'OIDC_JWKS_URI must be an https URL'],
    [{ OIDC_ALGORITHMS: 'RS256,HS256' }, 'OIDC_ALGORITHMS must list algorithms among'],
    [{ OIDC_ALGORITHMS: 'none' }, 'OIDC_ALGORITHMS must list algorithms among'],
    [{ OIDC_CLOCK_TOLERANCE_SECONDS: '3600' }, 'OIDC_CLOCK_TOLERANCE_SECONDS must be a whole number from 0 to 300'],
    [{ OIDC_CLOCK_TOLERANCE_SECONDS: '-1' }, 'OIDC_CLOCK_TOLERANCE_SECONDS must be a whole number from 0 to 300'],
    [{ OIDC_CLAIM_ROLES: 'realm_access..roles' }, 'OIDC_CLAIM_ROLES must be a claim name'],
    [{ OIDC_CLAIM_AGENCY: 'agency name' }, 'OIDC_CLAIM_AGENCY must be a claim name'],
    [{ OIDC_ALLOW_INSECURE_HTTP: 'yes' }, 'OIDC_ALLOW_INSECURE_HTTP must be true or false'],
  ])('refuses %j', (change, message) => {
    expect(() => authConfigFromEnv({ ...BASE, ...change })).toThrow(message);
  });

  it('allows plain http on this machine, and elsewhere only when told it is a private network', () => {
    expect(authConfigFromEnv({ ...BASE, OIDC_ISSUER: 'http://127.0.0.1:4000' }).issuer).toBe('http://127.0.0.1:4000');
    const compose = authConfigFromEnv({
      ...BASE,
      OIDC_JWKS_URI: 'http://keycloak:8080/realms/exit-pathways/protocol/openid-connect/certs',
      OIDC_ALLOW_INSECURE_HTTP: 'true',
    });
    expect(compose.jwksUri?.host).toBe('keycloak:8080');
  });

  it('is required when the API reads its environment: the API does not start without an issuer', () => {
    const env = {
      DATABASE_URL: 'postgres://x@127.0.0.1/db',
      PAYLOAD_KEYS: 'k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
    };
    expect(() => apiConfigFromEnv(env)).toThrow('OIDC_ISSUER is required');
    expect(apiConfigFromEnv({ ...env, ...BASE }).auth.issuer).toBe(BASE.OIDC_ISSUER);
    expect(() => apiConfigFromEnv({ ...env, OIDC_AUDIENCE: 'urn:exit-pathways:api' })).toThrow(
      'OIDC_ISSUER is required',
    );
  });
});

describe('roles', () => {
  it('are the eight of the sign-in model, and a person needs at least one the service knows', () => {
    expect(ROLES).toEqual([
      'COORDINATOR',
      'CASEWORKER',
      'TEAM_LEAD',
      'OPERATIVE_GROUP',
      'STEERING',
      'MANAGER',
      'AUDITOR',
      'ADMIN',
    ]);
    expect(rolesRefusal([], 'PARTNER')).toBe('no role');
    expect(rolesRefusal(['CASEWORKER', 'caseworker'], 'PARTNER')).toBe('a role this service does not know');
    expect(rolesRefusal(['TEAM_LEAD', 'CASEWORKER'], 'PARTNER')).toBeUndefined();
    expect(normaliseRoles(['TEAM_LEAD', 'CASEWORKER', 'TEAM_LEAD'])).toEqual(['CASEWORKER', 'TEAM_LEAD']);
  });

  it('an external partner works tasks and nothing else', () => {
    for (const role of ROLES) {
      const allowed = role === 'CASEWORKER' || role === 'TEAM_LEAD';
      expect([role, rolesRefusal([role], 'EXTERNAL')]).toEqual([
        role,
        allowed ? undefined : 'a role an external partner cannot hold',
      ]);
    }
  });
});

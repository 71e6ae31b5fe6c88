// A sign-in token names an agency; the agencies table in the real database decides whether it exists and is active.
import { randomUUID } from 'node:crypto';
import { Test } from '@nestjs/testing';
import type { DataSource } from 'typeorm';
import { cachedAgencyDirectory } from '../../../apps/api/src/auth/agency-directory';
import { TOKEN_VERIFIER_PROVIDER } from '../../../apps/api/src/auth/bearer';
import { API_CONFIG } from '../../../apps/api/src/core/tokens';
import { TokenRejected, TokenVerifier } from '../../../apps/api/src/auth/token-verifier';
import { ReadRepository, openDatabase } from '../../../libs/persistence/src';
import { createDatabase, dropDatabase, withDatabase } from '../../../scripts/dev-stack/postgres-server';
import { startTestIssuer, type TestIssuer } from '../../support/dev-issuer';
import { sharedTestEnv } from '../../support/shared-env';

describe('the agencies a sign-in token may name', () => {
  let issuer: TestIssuer;
  let db: DataSource;
  let serverUrl: string;
  let name: string;
  let verifier: TokenVerifier;

  beforeAll(async () => {
    serverUrl = sharedTestEnv().postgresServerUrl;
    name = `exit_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
    await createDatabase(serverUrl, name);
    db = await openDatabase(withDatabase(serverUrl, name), { poolSize: 2 });
    issuer = await startTestIssuer();
    const read = new ReadRepository(db);
    verifier = new TokenVerifier(
      issuer.authConfig(),
      cachedAgencyDirectory((code) => read.findAgency(code), { ttlMs: 0 }),
    );
  });
  afterAll(async () => {
    await issuer?.stop();
    await db?.destroy();
    if (name) await dropDatabase(serverUrl, name);
  });

  const answer = (token: string) =>
    verifier.verify(token).then(
      (principal) => ({ agency: principal.agency, kind: principal.agencyKind }),
      (error: TokenRejected) => ({ status: error.status, message: error.message }),
    );

  it('signs in a person of a seeded agency, and of an external partner', async () => {
    expect(await answer(await issuer.token('uu-sagsbehandler'))).toEqual({ agency: 'UU', kind: 'PARTNER' });
    expect(await answer(await issuer.token('ekstern-mentor'))).toEqual({ agency: 'MENTORKORPS', kind: 'EXTERNAL' });
  });

  it('refuses a genuine token once its agency is switched off in the agencies table', async () => {
    const token = await issuer.token('cfr-sagsbehandler');
    expect(await answer(token)).toEqual({ agency: 'CFR', kind: 'PARTNER' });
    await db.query(`UPDATE agencies SET active = false WHERE code = 'CFR'`);
    expect(await answer(token)).toEqual({
      status: 403,
      message: 'the token names an agency this service does not know',
    });
  });

  it('refuses an agency code that is no row', async () => {
    expect(
      await answer(await issuer.sign({ sub: 'u', name: 'n', agency: 'POLICE_NEW', roles: ['CASEWORKER'] })),
    ).toEqual({
      status: 403,
      message: 'the token names an agency this service does not know',
    });
  });

  it("is what the API's Nest provider builds from its configuration, and that refuses to boot without OIDC_*", async () => {
    const moduleWith = (auth: unknown) =>
      Test.createTestingModule({
        providers: [
          { provide: API_CONFIG, useValue: { auth } },
          { provide: ReadRepository, useValue: new ReadRepository(db) },
          TOKEN_VERIFIER_PROVIDER,
        ],
      }).compile();
    const built = (await moduleWith(issuer.authConfig())).get(TokenVerifier);
    await expect(built.verify(await issuer.token('tidlig-sagsbehandler'))).resolves.toMatchObject({ agency: 'TIDLIG' });
    await expect(moduleWith(undefined)).rejects.toThrow('OIDC_ISSUER and OIDC_AUDIENCE are required');
  });
});

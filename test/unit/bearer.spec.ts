// What a client sees over HTTP when the token check refuses it: a tiny Nest app with one route behind principalOf and
// the API's own error filter, against the real development issuer.
import { Controller, Get, Req, Res, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Request, Response } from 'express';
import { principalOf } from '../../apps/api/src/auth/bearer';
import { SEEDED_AGENCIES, TokenVerifier } from '../../apps/api/src/auth/token-verifier';
import { ErrorsFilter } from '../../apps/api/src/core/errors.filter';
import { startTestIssuer, type TestIssuer } from '../support/dev-issuer';

let verifier: TokenVerifier;

@Controller('me')
class MeController {
  @Get()
  me(@Req() request: Request, @Res({ passthrough: true }) response: Response) {
    return principalOf(verifier, request, response);
  }
}

describe('the bearer token check over HTTP', () => {
  let issuer: TestIssuer;
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    issuer = await startTestIssuer();
    verifier = new TokenVerifier(issuer.authConfig(), SEEDED_AGENCIES);
    const module = await Test.createTestingModule({ controllers: [MeController] }).compile();
    app = module.createNestApplication({ logger: false });
    app.useGlobalFilters(new ErrorsFilter());
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await app?.close();
    await issuer?.stop();
  });

  const get = async (authorization?: string) => {
    const response = await fetch(`${base}/me`, { headers: authorization ? { authorization } : {} });
    return {
      status: response.status,
      challenge: response.headers.get('www-authenticate'),
      body: (await response.json()) as Record<string, unknown>,
    };
  };

  it('answers 200 with the person for a real sign-in', async () => {
    const answer = await get(`Bearer ${await issuer.token('ssp-sagsbehandler')}`);
    expect(answer).toMatchObject({
      status: 200,
      challenge: null,
      body: { userId: 'ssp-sagsbehandler', agency: 'SSP' },
    });
  });

  it('answers 401 with a Bearer challenge without a token, and with invalid_token for a bad one', async () => {
    expect(await get()).toEqual({
      status: 401,
      challenge: 'Bearer',
      body: {
        statusCode: 401,
        error: 'Unauthorized',
        reason: 'missing_token',
        message: 'sign in: this request needs a bearer token',
      },
    });
    const token = await issuer.token('ssp-sagsbehandler');
    const answer = await get(`Bearer ${token.slice(0, -4)}AAAA`);
    expect(answer).toMatchObject({ status: 401, body: { reason: 'invalid_token' } });
    expect(answer.challenge).toBe(
      'Bearer error="invalid_token", error_description="the token signature does not verify"',
    );
  });

  it('answers 403 for a genuine token of an agency the service does not know, without repeating it', async () => {
    const token = await issuer.sign({ sub: 'u', name: 'n', agency: 'PRIVATE_NAME_X', roles: ['CASEWORKER'] });
    const answer = await get(`Bearer ${token}`);
    expect(answer).toMatchObject({ status: 403, challenge: null, body: { reason: 'unknown_principal' } });
    expect(JSON.stringify(answer.body)).not.toContain('PRIVATE_NAME_X');
  });
});

// The HTTP side of the token check, for the API's guard to call: the person behind a request, or an HTTP answer
// saying why not (401 with WWW-Authenticate per RFC 6750 § 3, 403, or 503). apps/api/src/core/actor.ts's guard calls it.
import { HttpException, type Provider } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Principal } from '../../../../libs/domain/src';
import { ReadRepository } from '../../../../libs/persistence/src';
import type { ApiConfig } from '../config';
import { API_CONFIG } from '../core/tokens';
import { cachedAgencyDirectory } from './agency-directory';
import { TokenRejected, TokenVerifier } from './token-verifier';

const ERROR_NAMES = { 401: 'Unauthorized', 403: 'Forbidden', 503: 'Service Unavailable' } as const;

export async function principalOf(verifier: TokenVerifier, request: Request, response: Response): Promise<Principal> {
  try {
    return await verifier.authenticate(request.headers.authorization);
  } catch (error) {
    if (!(error instanceof TokenRejected)) throw error;
    if (error.wwwAuthenticate) response.setHeader('WWW-Authenticate', error.wwwAuthenticate);
    if (error.status === 503) response.setHeader('Retry-After', '5');
    throw new HttpException(
      { statusCode: error.status, error: ERROR_NAMES[error.status], reason: error.code, message: error.message },
      error.status,
    );
  }
}

/** The TokenVerifier as a Nest provider: OIDC_* from the API's configuration, agencies from the agencies table. */
export const TOKEN_VERIFIER_PROVIDER: Provider = {
  provide: TokenVerifier,
  useFactory: (config: ApiConfig, read: ReadRepository) => {
    // ApiConfig requires it; a configuration built by hand (a script, a test) is refused at boot all the same.
    if (!config.auth) throw new Error('OIDC_ISSUER and OIDC_AUDIENCE are required: the API verifies sign-in tokens');
    return new TokenVerifier(
      config.auth,
      cachedAgencyDirectory((code) => read.findAgency(code)),
    );
  },
  inject: [API_CONFIG, ReadRepository],
};

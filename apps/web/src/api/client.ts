// The typed API client: paths and bodies come from schema.d.ts, generated from the API's OpenAPI document
// (`npm run web:api-schema`; test/unit/web-api-schema.spec.ts fails when it drifts).
import createClient from 'openapi-fetch';
import { authHeaders, sessionRejected } from '../auth/auth';
import { reportAnswered, reportUnavailable } from './availability';
import { ApiError, isUnavailable } from './errors';
import type { components, paths } from './schema';

export type Task = components['schemas']['TaskView'];
export type TaskPage = components['schemas']['TaskPageView'];
export type TaskDetail = components['schemas']['TaskDetailView'];
export type Agency = components['schemas']['AgencyView'];

export const api = createClient<paths>({ baseUrl: window.location.origin });

// Who is acting travels on every request from one place, the auth module.
api.use({
  onRequest({ request }) {
    for (const [name, value] of Object.entries(authHeaders())) request.headers.set(name, value);
    return request;
  },
  onResponse({ response }) {
    // The token is no longer accepted: the person signs in again ("Log ind") instead of seeing an error.
    if (response.status === 401) sessionRejected();
    return response;
  },
});

type Result<T> = { data?: T; error?: unknown; response: Response };

const ATTEMPTS = 3;
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A random key; randomUUID exists only in secure contexts (https, loopback), getRandomValues everywhere. */
function newKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Sends a command (a POST that changes something) with an Idempotency-Key, and sends it again with the same key when
 * the answer was lost (a network error) or the API was briefly unavailable (503): the API applies one key once and
 * answers a repeat with the first answer, so a retry can never record a fact twice.
 */
export async function command<T>(send: (headers: { 'Idempotency-Key': string }) => Promise<Result<T>>): Promise<T> {
  const headers = { 'Idempotency-Key': newKey() };
  for (let attempt = 1; ; attempt++) {
    let result: Result<T>;
    try {
      result = await send(headers);
    } catch (err) {
      if (attempt >= ATTEMPTS) throw err;
      await wait(500 * attempt);
      continue;
    }
    if (result.response.status !== 503 || attempt >= ATTEMPTS) return unwrap(result);
    await wait(1000 * attempt);
  }
}
// A database or workflow-engine outage answers 503 with a code and Retry-After: every page says "prøv igen om lidt"
// (UnavailableNotice) instead of a bare error, and says no more once any answer comes back.
api.use({
  async onResponse({ response }) {
    if (response.status !== 503) {
      reportAnswered();
      return response;
    }
    const body: unknown = await response
      .clone()
      .json()
      .catch(() => undefined);
    const error = ApiError.from(503, body, response.headers.get('Retry-After'));
    if (isUnavailable(error)) reportUnavailable(error.retryAfterSeconds ?? 0);
    return response;
  },
});

/** The data of a successful answer, or an ApiError carrying the status and the field errors. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || !result.response.ok)
    throw ApiError.from(result.response.status, result.error, result.response.headers.get('Retry-After'));
  return result.data as T;
}

// The id of the HTTP request being served, from the moment it arrives until the Temporal call it makes: an incoming
// X-Request-Id is kept if it looks like an id (so a caller's trace continues), anything else is replaced.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export const REQUEST_ID_HTTP_HEADER = 'X-Request-Id';

// Letters, digits and . _ : - only, 8 to 128 of them: a UUID, a ULID or a trace id passes; free text does not.
const WELL_FORMED = /^[A-Za-z0-9][A-Za-z0-9._:-]{7,127}$/;

export function isWellFormedRequestId(value: unknown): value is string {
  return typeof value === 'string' && WELL_FORMED.test(value);
}

/** The incoming header's value if it is well-formed (the first, if repeated), a new UUID otherwise. */
export function requestIdFor(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return isWellFormedRequestId(value) ? value : randomUUID();
}

const context = new AsyncLocalStorage<{ requestId: string }>();

/** Runs `fn` (and everything it awaits) as part of the request with this id. */
export function runWithRequestId<T>(requestId: string, fn: () => T): T {
  return context.run({ requestId }, fn);
}

export function currentRequestId(): string | undefined {
  return context.getStore()?.requestId;
}

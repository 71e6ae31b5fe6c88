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

/**
 * What the API's audit needs to know about the request being served: how many audit rows it has written so far and
 * which pathways its commands were sent to (apps/api/src/core/audit-interceptor.ts writes the one row of a command
 * from it).
 */
interface RequestContext {
  requestId: string;
  auditRows: number;
  pathways: Set<string>;
}

const context = new AsyncLocalStorage<RequestContext>();

/** Runs `fn` (and everything it awaits) as part of the request with this id. */
export function runWithRequestId<T>(requestId: string, fn: () => T): T {
  return context.run({ requestId, auditRows: 0, pathways: new Set() }, fn);
}

/** Counts audit rows written for the current request (`count` of them). */
export function noteAuditRows(count = 1): void {
  const store = context.getStore();
  if (store) store.auditRows += count;
}

/** The number of audit rows written for the current request so far. */
export function auditRowsOfRequest(): number {
  return context.getStore()?.auditRows ?? 0;
}

/** Notes that the current request sent a command to this pathway. */
export function noteCommandedPathway(pathwayId: string): void {
  context.getStore()?.pathways.add(pathwayId.toLowerCase());
}

/** The pathways the current request sent commands to, in order. */
export function commandedPathways(): string[] {
  return [...(context.getStore()?.pathways ?? [])];
}

export function currentRequestId(): string | undefined {
  return context.getStore()?.requestId;
}

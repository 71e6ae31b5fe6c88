// Which failures are an outage of a dependency rather than a fault of ours: the client gets a 503 with
// Retry-After and a stable code (errors.filter.ts), so it can tell "try again shortly" from a bug.
import { HttpException } from '@nestjs/common';
import { isGrpcServiceError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';

export type Unavailable = 'DATABASE_UNAVAILABLE' | 'TEMPORAL_UNAVAILABLE';

// SQLSTATE classes and codes that mean the server cannot serve now: connection exceptions (08), a statement
// cancelled by statement_timeout (57014), shutdown and start-up (57P01–57P03), insufficient resources (53).
const PG_UNAVAILABLE = /^(08...|57014|57P0[123]|53...)$/;
// Node's socket errors and the pg driver's own timeouts, which carry no SQLSTATE.
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND']);
const PG_DRIVER_MESSAGES =
  /^(Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error)/;

// gRPC status codes: DEADLINE_EXCEEDED 4, RESOURCE_EXHAUSTED 8, UNAVAILABLE 14.
const GRPC_UNAVAILABLE = new Set([4, 8, 14]);

export function unavailableDependency(error: unknown): Unavailable | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    if (e instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return 'TEMPORAL_UNAVAILABLE';
    if (isGrpcServiceError(e) && GRPC_UNAVAILABLE.has(e.code)) return 'TEMPORAL_UNAVAILABLE';
    if (e.name === 'ServiceError' && /deadline|unavailable|connect/i.test(e.message)) return 'TEMPORAL_UNAVAILABLE';
    const driver = (e as { driverError?: unknown }).driverError;
    for (const candidate of [e, driver]) {
      if (!(candidate instanceof Error)) continue;
      const code = (candidate as { code?: unknown }).code;
      if (typeof code === 'string' && (PG_UNAVAILABLE.test(code) || SOCKET_CODES.has(code)))
        return 'DATABASE_UNAVAILABLE';
      if (PG_DRIVER_MESSAGES.test(candidate.message)) return 'DATABASE_UNAVAILABLE';
    }
  }
  return undefined;
}

/** Seconds a client should wait before trying again. */
export const RETRY_AFTER_SECONDS = 5;

/**
 * A 503 the service chose to answer (a start not finished within its deadline): its body says what happened, and the
 * errors filter adds its Retry-After.
 */
export class RetryLaterException extends HttpException {
  constructor(
    body: { code: string; message: string } & Record<string, unknown>,
    readonly retryAfterSeconds: number,
  ) {
    super({ statusCode: 503, error: 'Service Unavailable', ...body }, 503);
  }
}

// What the API answers when it refuses: 400 with `errors: [{ field, reason }]`, 403, 404, 409 with a message, and
// 503 with `code` DATABASE_UNAVAILABLE | TEMPORAL_UNAVAILABLE and Retry-After when a dependency does not answer.
export interface FieldError {
  field: string;
  reason: string;
}

/** The codes of a 503 that mean "the API is fine, something behind it is not: ask again soon". */
export const UNAVAILABLE_CODES = ['DATABASE_UNAVAILABLE', 'TEMPORAL_UNAVAILABLE'] as const;
/** When the API names no Retry-After, this many seconds (the API's own default, apps/api/src/core/unavailable.ts). */
const DEFAULT_RETRY_AFTER_SECONDS = 5;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly fieldErrors: FieldError[],
    message: string,
    /** The API's stable code, when it gives one (a 503's DATABASE_UNAVAILABLE). */
    readonly code?: string,
    /** A 503's Retry-After, in seconds. */
    readonly retryAfterSeconds?: number,
    /** The answer's body as sent (a 409 DUPLICATE_SUSPECTED's candidates). */
    readonly body?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  static from(status: number, body: unknown, retryAfter?: string | null): ApiError {
    const record = (body ?? {}) as { errors?: unknown; message?: unknown; code?: unknown };
    const fieldErrors = Array.isArray(record.errors)
      ? record.errors.filter(
          (e): e is FieldError =>
            typeof e === 'object' && e !== null && typeof e.field === 'string' && typeof e.reason === 'string',
        )
      : [];
    const message = typeof record.message === 'string' ? record.message : `HTTP ${status}`;
    const code = typeof record.code === 'string' ? record.code : undefined;
    return new ApiError(
      status,
      fieldErrors,
      message,
      code,
      status === 503 ? retryAfterSeconds(retryAfter) : undefined,
      body,
    );
  }
}

/** Retry-After as seconds; an HTTP date or nonsense counts as the default. */
export function retryAfterSeconds(header: string | null | undefined): number {
  const seconds = header && /^\d{1,4}$/.test(header.trim()) ? Number(header.trim()) : NaN;
  return Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_RETRY_AFTER_SECONDS;
}

export function isApiError(error: unknown, status?: number): error is ApiError {
  return error instanceof ApiError && (status === undefined || error.status === status);
}

/** One pathway the API found alike when a start answered 409 DUPLICATE_SUSPECTED. */
export interface DuplicateCandidate {
  pathwayId: string;
  name: string;
  birthDate: string;
  stage: string;
  openedAt: string;
  match: string;
}

/** The candidates of a 409 DUPLICATE_SUSPECTED; undefined for any other error. */
export function duplicateCandidates(error: unknown): DuplicateCandidate[] | undefined {
  if (!isApiError(error, 409) || error.code !== 'DUPLICATE_SUSPECTED') return undefined;
  const candidates = (error.body as { candidates?: unknown } | undefined)?.candidates;
  return Array.isArray(candidates) ? (candidates as DuplicateCandidate[]) : [];
}

/** A 503 that says a dependency (database, workflow engine) does not answer for the moment. */
export function isUnavailable(error: unknown): error is ApiError {
  return isApiError(error, 503) && (UNAVAILABLE_CODES as readonly (string | undefined)[]).includes(error.code);
}

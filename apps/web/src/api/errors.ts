// What the API answers when it refuses: 400 with `errors: [{ field, reason }]`, 403, 404, 409 with a message.
export interface FieldError {
  field: string;
  reason: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly fieldErrors: FieldError[],
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  static from(status: number, body: unknown): ApiError {
    const record = (body ?? {}) as { errors?: unknown; message?: unknown };
    const fieldErrors = Array.isArray(record.errors)
      ? record.errors.filter(
          (e): e is FieldError =>
            typeof e === 'object' && e !== null && typeof e.field === 'string' && typeof e.reason === 'string',
        )
      : [];
    const message = typeof record.message === 'string' ? record.message : `HTTP ${status}`;
    return new ApiError(status, fieldErrors, message);
  }
}

export function isApiError(error: unknown, status?: number): error is ApiError {
  return error instanceof ApiError && (status === undefined || error.status === status);
}

// Carries the id of the HTTP request that caused a Temporal call (start, Update) in a Temporal header, so the
// activity that writes its result logs under the same id: client → workflow (workflows/request-id.interceptors.ts,
// which copies it to the activities it schedules) → activity log lines.
import type { WorkflowClientInterceptor } from '@temporalio/client';
import { defaultPayloadConverter, type Headers } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';

/** The Temporal header's key; workflows/request-id.interceptors.ts uses the same (test/unit/request-id.spec.ts). */
export const REQUEST_ID_TEMPORAL_HEADER = 'exit-request-id';

export function withRequestId(headers: Headers, requestId: string | undefined): Headers {
  if (!requestId) return headers;
  return { ...headers, [REQUEST_ID_TEMPORAL_HEADER]: defaultPayloadConverter.toPayload(requestId) };
}

export function requestIdFromHeaders(headers: Headers): string | undefined {
  const payload = headers[REQUEST_ID_TEMPORAL_HEADER];
  if (!payload) return undefined;
  const value: unknown = defaultPayloadConverter.fromPayload(payload);
  return typeof value === 'string' ? value : undefined;
}

/** Adds the current request's id (if any) to every workflow start and Update this client sends, together or apart. */
export function requestIdClientInterceptor(currentRequestId: () => string | undefined): WorkflowClientInterceptor {
  return {
    startWithDetails: (input, next) => next({ ...input, headers: withRequestId(input.headers, currentRequestId()) }),
    startUpdate: (input, next) => next({ ...input, headers: withRequestId(input.headers, currentRequestId()) }),
    signalWithStart: (input, next) => next({ ...input, headers: withRequestId(input.headers, currentRequestId()) }),
    // A pathway start: the workflow and its `sync` Update in one call (update-with-start).
    startUpdateWithStart: (input, next) =>
      next({
        ...input,
        workflowStartHeaders: withRequestId(input.workflowStartHeaders, currentRequestId()),
        updateHeaders: withRequestId(input.updateHeaders, currentRequestId()),
      }),
  };
}

/**
 * Puts the request id the workflow passed on into every log line of the activity (`requestId`), and writes one
 * line per finished activity with its duration, so a request can be followed into the worker.
 */
export const requestIdActivityInterceptor: ActivityInterceptorsFactory = (ctx) => {
  let requestId: string | undefined;
  return {
    inbound: {
      async execute(input, next) {
        requestId = requestIdFromHeaders(input.headers);
        const started = Date.now();
        try {
          const result = await next(input);
          ctx.log.info('activity completed', { durationMs: Date.now() - started });
          return result;
        } catch (err) {
          // The failure itself is logged by the SDK and kept in history; this line only ties it to the request.
          ctx.log.warn('activity failed', { durationMs: Date.now() - started });
          throw err;
        }
      },
    },
    outbound: {
      getLogAttributes: (attributes, next) => next(requestId ? { ...attributes, requestId } : attributes),
    },
  };
};

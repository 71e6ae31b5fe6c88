// Passes the id of the HTTP request behind a start or an Update on to the activities that carry out its effect, so
// the worker's activity log lines name it (libs/temporal/src/request-id.ts). Headers are not part of the replay
// check, so this changes no command and every recorded history still replays.
import { defaultPayloadConverter, type WorkflowInterceptorsFactory } from '@temporalio/workflow';

/** Same key as REQUEST_ID_TEMPORAL_HEADER in libs/temporal/src/request-id.ts (test/unit/request-id.spec.ts). */
export const REQUEST_ID_HEADER = 'exit-request-id';

export const interceptors: WorkflowInterceptorsFactory = () => {
  // Per workflow execution: the request being handled, and whether it is the start (which owns only the first write).
  let current: { id: unknown; start: boolean } | undefined;
  return {
    inbound: [
      {
        execute(input, next) {
          const header = input.headers[REQUEST_ID_HEADER];
          current = header ? { id: defaultPayloadConverter.fromPayload(header), start: true } : undefined;
          return next(input);
        },
        async handleUpdate(input, next) {
          const header = input.headers[REQUEST_ID_HEADER];
          const mine = header ? { id: defaultPayloadConverter.fromPayload(header), start: false } : undefined;
          current = mine;
          try {
            return await next(input);
          } finally {
            if (current === mine) current = undefined;
          }
        },
      },
    ],
    outbound: [
      {
        scheduleActivity(input, next) {
          const id = current?.id;
          if (current?.start) current = undefined;
          if (typeof id !== 'string') return next(input);
          const headers = { ...input.headers, [REQUEST_ID_HEADER]: defaultPayloadConverter.toPayload(id) };
          return next({ ...input, headers });
        },
      },
    ],
  };
};

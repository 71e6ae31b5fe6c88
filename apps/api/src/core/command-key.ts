// The Idempotency-Key header of a command on a running pathway, as the OpenAPI document describes it.
import { applyDecorators } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';

/** Documents the Idempotency-Key header every command takes (apps/api/src/core/workflow-commands.ts, `once`). */
export function ApiCommandKey(): MethodDecorator {
  return applyDecorators(
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'Makes the command safe to retry: the first request under a key is applied once (Temporal deduplicates its ' +
        'Update by an id derived from the pathway and the key), every repeat with the same body gets the first ' +
        'answer again, and the same key with another body is a 409. 8-200 visible ASCII characters; the web app ' +
        'sends one with every command.',
    }),
  );
}

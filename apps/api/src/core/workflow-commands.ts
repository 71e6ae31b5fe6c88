// Sending commands (Temporal Updates) to pathway workflows and turning their refusals into HTTP answers.
import { ConflictException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import {
  ApplicationFailure,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import {
  AGENCY_CODE_PATTERN,
  FailureType,
  pathwayWorkflowId,
  type Refusal,
  type RefusalType,
} from '../../../../libs/domain/src';
import { ReadRepository } from '../../../../libs/persistence/src';
import { DEFAULT_TEMPORAL_CALL_TIMEOUT_MS, type ApiConfig } from '../config';
import { API_CONFIG, TEMPORAL_CLIENT } from './tokens';
import { badRequest } from './validation';

@Injectable()
export class WorkflowCommands {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly read: ReadRepository,
  ) {}

  /** Runs Temporal calls under one deadline: past it the call fails (a 503 to the client) instead of hanging. */
  withDeadline<T>(call: () => Promise<T>): Promise<T> {
    return this.temporal.withDeadline(
      Date.now() + (this.config.temporalCallTimeoutMs ?? DEFAULT_TEMPORAL_CALL_TIMEOUT_MS),
      call,
    );
  }

  /** An agency a command names in its body (reassign to, …), which must exist and be active. */
  async existingAgency(code: string, field: string): Promise<string> {
    const agency = AGENCY_CODE_PATTERN.test(code) ? await this.read.findAgency(code) : null;
    if (!agency || !agency.active) throw badRequest([{ field, reason: `unknown agency '${code}'` }]);
    return agency.code;
  }

  /** Sends an update to the pathway's workflow; the read model is written before the workflow answers. */
  async send<T>(pathwayId: string, inputField: string, command: (handle: WorkflowHandle) => Promise<T>): Promise<T> {
    try {
      return await this.withDeadline(() => command(this.temporal.workflow.getHandle(pathwayWorkflowId(pathwayId))));
    } catch (err) {
      throw translate(err, inputField);
    }
  }
}

/**
 * A refusal (libs/domain/src/pathway/refusals.ts) as an HTTP answer: the API's own check before Temporal and the
 * workflow's validator give the same refusal, so the same answer. `inputField` names the request's main field for a
 * refusal of bad input that names none.
 */
export function refusalToHttp(refusal: Refusal, inputField: string): Error {
  // Refusals name stages, tasks, agencies and versions, never the person.
  const { message } = refusal;
  switch (refusal.type) {
    case FailureType.TaskNotFound:
      return new NotFoundException('no such task on the pathway');
    case FailureType.EscalationNotFound:
      return new NotFoundException('no such escalation on the pathway');
    case FailureType.NotAllowed:
      return new ForbiddenException(message);
    case FailureType.InvalidInput: {
      if (refusal.errors) return badRequest(refusal.errors);
      const field = refusal.field ?? inputField;
      // "dueAt must be …" answers { field: 'dueAt', reason: 'must be …' }.
      const reason = message.startsWith(`${field} `) ? message.slice(field.length + 1) : message;
      return badRequest([{ field, reason }]);
    }
    case FailureType.TaskNotOpen:
    case FailureType.TaskConflict:
    case FailureType.EventRefused:
    case FailureType.PlaybookRefused:
    case FailureType.EscalationResolved:
      return new ConflictException(message);
  }
}

const REFUSAL_TYPES: readonly string[] = Object.values(FailureType);

/** The refusal a workflow threw: the first of its ApplicationFailure's details. */
function refusalOf(failure: ApplicationFailure): Refusal | undefined {
  const [detail] = failure.details ?? [];
  const candidate = detail as Partial<Refusal> | undefined;
  if (candidate && REFUSAL_TYPES.includes(candidate.type as string) && typeof candidate.message === 'string') {
    return candidate as Refusal;
  }
  // A workflow still on older code throws its refusals without details: their kind and message answer.
  if (REFUSAL_TYPES.includes(failure.type ?? ''))
    return { type: failure.type as RefusalType, message: failure.message };
  return undefined;
}

/** Business refusals from a workflow become HTTP answers; anything else is an infrastructure fault (500). */
export function translate(err: unknown, inputField: string): unknown {
  // A closed pathway's workflow has completed; one that was terminated by an operator is gone too.
  if (err instanceof WorkflowNotFoundError) return new ConflictException('the pathway is no longer running');
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const refusal = refusalOf(err.cause);
    if (refusal) return refusalToHttp(refusal, inputField);
  }
  return err;
}

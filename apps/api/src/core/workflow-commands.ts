// Sending commands (Temporal Updates) to pathway workflows and turning their refusals into HTTP answers, plus who
// is acting. There is no authentication yet: the acting agency comes from the X-Agency header and must exist.
import { ConflictException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import {
  ApplicationFailure,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import { AGENCY_CODE_PATTERN, FailureType, pathwayWorkflowId } from '../../../../libs/domain/src';
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

  /** The agency named by the X-Agency header, which must exist and be active; `fallback` when there is none. */
  async actingAgency(header: string | undefined, fallback: string): Promise<string> {
    if (header === undefined) return fallback;
    // Only a well-formed code is quoted back: the header is free text until it is checked.
    if (!AGENCY_CODE_PATTERN.test(header)) {
      throw badRequest([{ field: 'X-Agency', reason: 'must be an agency code such as POLICE_EAS' }]);
    }
    const agency = await this.read.findAgency(header);
    if (!agency || !agency.active) throw badRequest([{ field: 'X-Agency', reason: `unknown agency '${header}'` }]);
    return agency.code;
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

/** Business refusals from a workflow become HTTP answers; anything else is an infrastructure fault (500). */
export function translate(err: unknown, inputField: string): unknown {
  // A closed pathway's workflow has completed; one that was terminated by an operator is gone too.
  if (err instanceof WorkflowNotFoundError) return new ConflictException('the pathway is no longer running');
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    // The workflow's messages name stages, tasks, agencies and versions, never the person.
    const message = err.cause.message;
    switch (err.cause.type) {
      case FailureType.TaskNotFound:
        return new NotFoundException('no such task on the pathway');
      case FailureType.EscalationNotFound:
        return new NotFoundException('no such escalation on the pathway');
      case FailureType.NotAllowed:
        return new ForbiddenException(message);
      case FailureType.TaskNotOpen:
      case FailureType.TaskConflict:
      case FailureType.EventRefused:
      case FailureType.PlaybookRefused:
      case FailureType.EscalationResolved:
        return new ConflictException(message);
      case FailureType.InvalidInput: {
        // The workflow's refusals begin with the field they are about ("dueAt must be …"); a refusal of the decision
        // itself does not, and names the request's main field.
        const named = /^([\w.]+) (must|may) (.*)$/.exec(message);
        if (named && named[1] !== 'a') return badRequest([{ field: named[1], reason: `${named[2]} ${named[3]}` }]);
        return badRequest([{ field: /^a stalled pathway/.test(message) ? 'decision' : inputField, reason: message }]);
      }
    }
  }
  return err;
}

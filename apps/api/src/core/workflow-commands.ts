// Sending commands (Temporal Updates) to pathway workflows and turning their refusals into HTTP answers.
import { createHash } from 'node:crypto';
import {
  ConflictException,
  ForbiddenException,
  HttpException,
  Inject,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import {
  ApplicationFailure,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import {
  AGENCY_CODE_PATTERN,
  FailureType,
  pathwayWorkflowId,
  type Refusal,
  type RefusalType,
} from '../../../../libs/domain/src';
import { noteCommandedPathway } from '../../../../libs/observability/src';
import { IdempotencyRepository, ReadRepository } from '../../../../libs/persistence/src';
import { DEFAULT_TEMPORAL_CALL_TIMEOUT_MS, type ApiConfig } from '../config';
import { API_CONFIG, TEMPORAL_CLIENT } from './tokens';
import { badRequest } from './validation';

/** An Idempotency-Key as a client may send it; anything else is a 400 naming the header. */
export function idempotencyKeyOf(header: string | undefined): string | undefined {
  if (header !== undefined && !/^[\x21-\x7e]{8,200}$/.test(header)) {
    throw badRequest([{ field: 'Idempotency-Key', reason: 'must be 8-200 visible ASCII characters' }]);
  }
  return header;
}

/** JSON with every object's keys in order, so that one request sent twice has one digest. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** Who sent a command, as far as its answer depends on it: one key used by another person is another request. */
export function actorOf(actor: { userId?: string; agency: string; roles: readonly string[] }): unknown {
  return { userId: actor.userId, agency: actor.agency, roles: [...actor.roles].sort() };
}

/**
 * A command's first answer as command_keys keeps it: `{ answer }`, which IdempotencyRepository seals under the
 * person's key (one layer: unreadable at rest, and gone with the key on erasure).
 */
interface KeptAnswer<T = unknown> {
  answer: T;
}

/** How answers were kept before (until a day after the change): a Temporal payload encrypted by the client's codec. */
interface LegacySealedAnswer {
  sealed: string;
}

/** A command on a pathway as its Idempotency-Key sees it: `request` is everything that makes it this request. */
export interface KeyedCommand {
  pathwayId: string;
  key: string | undefined;
  request: unknown;
}

/** The steps of a command: the API's own refusal check, then the Update (with the id Temporal dedupes on). */
export interface CommandSteps<T> {
  check: () => void | Promise<void>;
  run: (updateId: string | undefined) => Promise<T>;
}

@Injectable()
export class WorkflowCommands {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly read: ReadRepository,
    private readonly idempotency: IdempotencyRepository,
  ) {}

  /**
   * Runs a command at most once per (pathway, Idempotency-Key). The Update's id is derived from the two, so Temporal
   * itself applies it once, whichever of several concurrent or retried requests reaches it; the first answer is
   * stored and every repeat gets it again. A repeat skips the read-model check: after the first request the read
   * model may already show the command's effect (a retry after a lost answer must not be refused for it), and the
   * workflow's validator checks again anyway. The same key with another request → 409. Without a key the command
   * runs as it is.
   */
  async once<T>(command: KeyedCommand, steps: CommandSteps<T>): Promise<T> {
    // A repeat is audited like the first request: the command's row names this pathway.
    noteCommandedPathway(command.pathwayId);
    const key = idempotencyKeyOf(command.key);
    if (key === undefined) {
      await steps.check();
      return steps.run(undefined);
    }
    const keyHash = sha256(`${command.pathwayId}\n${key}`);
    const requestHash = sha256(canonicalJson(command.request));
    const claim = await this.idempotency.claimCommand(keyHash, command.pathwayId, requestHash);
    if (!claim.first) {
      if (!claim.requestHash.equals(requestHash)) {
        throw new ConflictException('this Idempotency-Key was already used for a different request');
      }
      // An answer that cannot be opened (kept in clear, under a destroyed or retired key) is no answer: the command
      // goes to Temporal again under the same Update id, which applies it once.
      const opened = claim.answer === null ? undefined : await this.kept<T>(claim.answer);
      if (opened) return opened.answer;
    } else {
      await this.releasedIfRefused(keyHash, steps.check);
    }
    // The id names no person: a digest of the pathway id and the client's key.
    const answer = await this.releasedIfRefused(keyHash, () => steps.run(`command-${keyHash.toString('hex')}`));
    const kept = await this.idempotency.answerCommand<KeptAnswer<T>>(keyHash, command.pathwayId, { answer });
    return (await this.kept<T>(kept))?.answer ?? answer;
  }

  /**
   * The kept answer as IdempotencyRepository opened it: `{ answer }`; or, from before answers were sealed once, the
   * codec's encrypted payload inside (decoded here); undefined for anything else.
   */
  private async kept<T>(kept: unknown): Promise<KeptAnswer<T> | undefined> {
    if (kept === null || typeof kept !== 'object') return undefined;
    if ('answer' in kept && Object.keys(kept).length === 1) return kept as KeptAnswer<T>;
    const sealed = (kept as Partial<LegacySealedAnswer>).sealed;
    if (typeof sealed !== 'string' || Object.keys(kept).length !== 1) return undefined;
    const { payloadConverter, payloadCodecs } = this.temporal.options.loadedDataConverter;
    try {
      let payloads: Payload[] = [temporal.api.common.v1.Payload.decode(Buffer.from(sealed, 'base64'))];
      for (const codec of [...payloadCodecs].reverse()) payloads = await codec.decode(payloads);
      return { answer: payloadConverter.fromPayload<T>(payloads[0]) };
    } catch {
      return undefined;
    }
  }

  /**
   * A refusal (4xx) means nothing reached the workflow's history: the key is free again. After any other failure
   * (an outage, a deadline) the Update may have been applied, so the key stays taken and a retry goes to Temporal
   * with the same Update id.
   */
  private async releasedIfRefused<T>(keyHash: Buffer, step: () => T | Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (err) {
      if (err instanceof HttpException && err.getStatus() < 500) await this.idempotency.releaseCommand(keyHash);
      throw err;
    }
  }

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
    // The request's audit row names the pathway (apps/api/src/core/audit-interceptor.ts).
    noteCommandedPathway(pathwayId);
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

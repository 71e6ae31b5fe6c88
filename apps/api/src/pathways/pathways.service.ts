// Starting pathways and reading them back. The workflow is the source of truth; reads come from the read model.
import { createHash, randomUUID } from 'node:crypto';
import { ConflictException, Inject, Injectable } from '@nestjs/common';
import {
  isGrpcServiceError,
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  type Client,
} from '@temporalio/client';
import {
  PATHWAY_WORKFLOW_TYPE,
  isUuid,
  may,
  pendingClosureFrom,
  reopenDeadline,
  seesContext,
  pathwayWorkflowId,
  type Actor,
  type PathwayWorkflowInput,
  type Task,
  type TimelineEntry,
} from '../../../../libs/domain/src';
import { syncUpdate } from '../../../../workflows/pathway/messages';
import { pathwayDistrictKey, pathwayStageKey } from '../../../../workflows/pathway/search-attributes';
import {
  decodePathwayCursor,
  DistrictRepository,
  IdempotencyRepository,
  PersonSearchRepository,
  ReadRepository,
  TaskRepository,
  type PathwayEntity,
  type PersonEntity,
} from '../../../../libs/persistence/src';
import { DEFAULT_TEMPORAL_CALL_TIMEOUT_MS, type ApiConfig } from '../config';
import { authorize } from '../core/actor';
import { AuditTrail, type LegalFacts } from '../core/audit-trail';
import { Assignees } from '../core/assignees';
import { PlaybookService } from '../core/playbook.service';
import { ReferenceData } from '../core/reference-data';
import { RetryLaterException, unavailableDependency } from '../core/unavailable';
import { WorkflowCommands, actorOf, idempotencyKeyOf } from '../core/workflow-commands';
import { API_CONFIG, TEMPORAL_CLIENT } from '../core/tokens';
import { UUID_SHAPE, badRequest, notFound } from '../core/validation';
import type {
  CreatePathwayDto,
  DuplicateCandidateView,
  PathwayListQueryDto,
  PathwayPageView,
  PathwaySummaryView,
  PathwayView,
  TimelineView,
} from './pathway.dto';

export type OpenResult = { status: 200 | 201; body: PathwayView };

/** A pathway's read-model rows, as a whole answer is made of them. */
interface WholePathway {
  pathway: PathwayEntity;
  person: PersonEntity | null;
  tasks: Task[];
  timeline: TimelineEntry[];
}

/** What the legal basis of an audit row depends on, as ReadRepository.legalFacts reads it, from rows read already. */
function legalFactsOf({ pathway, person }: WholePathway): LegalFacts {
  return { consent: pathway.consent, stage: pathway.stage, birthDate: person?.birthDate ?? null };
}

/** The pathway row as lists show it: no person, and absent facts left out rather than null. */
function summaryOf(row: PathwayEntity): PathwaySummaryView {
  return {
    id: row.id,
    stage: row.stage,
    ...(row.track ? { track: row.track } : {}),
    district: row.district,
    playbookVersion: row.playbookVersion,
    openedAt: row.openedAt.toISOString(),
    stageEnteredAt: row.stageEnteredAt.toISOString(),
    ...(row.expectedReleaseAt ? { expectedReleaseAt: row.expectedReleaseAt.toISOString() } : {}),
    consent: row.consent,
    ...(row.closingOutcome ? { closingOutcome: row.closingOutcome } : {}),
    priority: row.priority,
  };
}

/**
 * The id an Idempotency-Key stood for before keys were stored (a hash of the key): a pathway opened then keeps
 * its id when the request is repeated. New pathways get random ids (IdempotencyRepository).
 */
function legacyPathwayIdFor(idempotencyKey: string): string {
  const hex = createHash('sha256').update(`exit-pathways:pathway:${idempotencyKey}`).digest('hex');
  // Shaped as an RFC 9562 version 8 (custom) UUID.
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

@Injectable()
export class PathwaysService {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly read: ReadRepository,
    private readonly tasks: TaskRepository,
    private readonly playbooks: PlaybookService,
    private readonly trail: AuditTrail,
    private readonly idempotency: IdempotencyRepository,
    private readonly commands: WorkflowCommands,
    private readonly districts: DistrictRepository,
    private readonly assignees: Assignees,
    private readonly people: PersonSearchRepository,
    private readonly reference: ReferenceData,
  ) {}

  /**
   * A pathway whole: who the person is, every task, the timeline with its assessments and arrests. Who may read it
   * is the policy's (pathway.read, libs/domain/src/policy.ts); every read is audited.
   */
  async readAs(id: string, actor: Actor): Promise<PathwayView> {
    await this.find(id);
    await this.trail.pathway(actor, 'READ_PATHWAY', id);
    return this.get(id, actor);
  }

  async open(dto: CreatePathwayDto, idempotencyKey: string | undefined, actor: Actor): Promise<OpenResult> {
    idempotencyKeyOf(idempotencyKey);
    // A contact is reported in the reporter's own agency's name, before anything is looked up.
    authorize('pathway.open', actor, dto.contact.sourceAgency);
    if (!(await this.reference.activeAgency(dto.contact.sourceAgency))) {
      throw badRequest([{ field: 'contact.sourceAgency', reason: `unknown agency '${dto.contact.sourceAgency}'` }]);
    }
    await this.reference.checkDistrict(dto.person.district, 'person.district');
    const id =
      idempotencyKey === undefined
        ? randomUUID()
        : await this.idempotency.pathwayIdFor(idempotencyKey, randomUUID(), legacyPathwayIdFor(idempotencyKey));
    const override = await this.warnOfDuplicates(dto, id, actor);
    const input: PathwayWorkflowInput = {
      pathwayId: id,
      person: {
        name: dto.person.name.trim(),
        birthDate: dto.person.birthDate,
        district: dto.person.district,
        ...(dto.person.livesWithParents !== undefined ? { livesWithParents: dto.person.livesWithParents } : {}),
      },
      contact: {
        sourceAgency: dto.contact.sourceAgency,
        occurredAt: dto.contact.occurredAt,
        context: dto.contact.context,
        ...(dto.contact.targetGroup ? { targetGroup: dto.contact.targetGroup } : {}),
      },
      playbookPin: await this.playbooks.currentPin(),
    };
    // On the same path as every other command (WorkflowCommands.once): the first request under a key runs, a
    // concurrent or later repeat gets the first answer (200), the same key with another body or caller is a 409.
    let createdHere: PathwayView | undefined;
    await this.commands.once<{ id: string }>(
      { pathwayId: id, key: idempotencyKey, request: { command: 'open', actor: actorOf(actor), dto } },
      {
        check: () => undefined,
        run: async () => {
          // One row: why a pathway was started although someone alike was known (a duplicate override) is the
          // OPEN_PATHWAY row's detail.
          const opened = override
            ? { detail: { duplicateOverride: override.reason, candidates: override.candidates.join(',') } }
            : undefined;
          const audit = (facts?: LegalFacts) => this.trail.pathway(actor, 'OPEN_PATHWAY', id, undefined, opened, facts);
          const created = await this.startAndSync(input, () => audit());
          // Started by an earlier request whose answer is gone (kept a day): the key is the pathway's identity, so
          // a repeat must be the same request, or it would show another person.
          if (!created && !(await this.sameRequest(id, input))) {
            throw new ConflictException('this Idempotency-Key was already used for a different request');
          }
          if (created) {
            // Read back first, so that the audit row's legal basis comes from the rows the answer is made of (no
            // read of its own); the row is written before the answer leaves, and also when the read fails.
            const whole = await this.whole(id).catch(async (err: unknown) => {
              await audit();
              throw err;
            });
            await audit(legalFactsOf(whole));
            createdHere = await this.viewOf(whole, actor);
          }
          // Only the id is kept: a repeat is answered from the read model, below.
          return { id };
        },
      },
    );
    // The request that started the pathway answers 201 with what it made, even when a concurrent repeat stored its
    // answer first. A repeat answers as a read does: whole (and audited) for the coordinators and the operative
    // group, who may be retrying their own request; the stage and the own agency's tasks for anyone else.
    if (createdHere) return { status: 201, body: createdHere };
    // A repeat reads the pathway back, and is audited as the read it is (apps/api/src/core/audited-routes.ts).
    await this.trail.pathway(actor, 'READ_PATHWAY', id);
    return { status: 200, body: await this.viewFor(id, actor) };
  }

  /**
   * Starts the workflow and waits for its first read-model write in one round trip (update-with-start: the `sync`
   * Update rides with the start). Answers whether this call started it (false: it ran already). A start that cannot
   * finish within PATHWAY_OPEN_TIMEOUT_MS is a 503 START_PENDING with Retry-After naming the started pathway
   * (`onStarted` audits it first); one that did not reach Temporal is the outage it was (503 TEMPORAL_UNAVAILABLE).
   */
  private async startAndSync(input: PathwayWorkflowInput, onStarted: () => Promise<void>): Promise<boolean> {
    const id = input.pathwayId;
    const workflowId = pathwayWorkflowId(id);
    // Within the start's deadline, and no longer than any Temporal call may take: a frozen server answers 503 as
    // quickly as for any other command.
    // The brief existence check after a failure comes out of the same budget.
    const callTimeout = this.config.temporalCallTimeoutMs ?? DEFAULT_TEMPORAL_CALL_TIMEOUT_MS;
    const deadline = Date.now() + Math.min(this.config.openTimeoutMs, callTimeout - this.existsDeadlineMs());
    const startWorkflowOperation = new WithStartWorkflowOperation(PATHWAY_WORKFLOW_TYPE, {
      workflowId,
      taskQueue: this.config.temporal.taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: [
        { key: pathwayStageKey, value: 'CONTACT' },
        { key: pathwayDistrictKey, value: input.person.district },
      ],
    });
    let created = true;
    try {
      await this.temporal.withDeadline(deadline, () =>
        this.temporal.workflow.executeUpdateWithStart(syncUpdate, { startWorkflowOperation }),
      );
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        created = false;
      } else {
        const started = await startWorkflowOperation.workflowHandle().then(
          () => true,
          // Temporal could not be reached at all: nothing was started, and asking again would only wait again.
          () => (unreachable(err) ? false : this.exists(workflowId)),
        );
        if (!started) throw err;
        // Who brought a person into the system, and when: the first write of their data is audited like every read.
        await onStarted();
        throw startPending(id);
      }
    }
    // The caller audits a start that answers, from the rows it reads back for the answer.
    if (created) return true;
    // Started by an earlier request: wait for its first write as a start would.
    if (!(await this.waitForReadModel(id, deadline))) throw startPending(id);
    return false;
  }

  private existsDeadlineMs(): number {
    return Math.min(EXISTS_DEADLINE_MS, (this.config.temporalCallTimeoutMs ?? DEFAULT_TEMPORAL_CALL_TIMEOUT_MS) / 2);
  }

  /**
   * Whether the workflow runs or ran (a start whose answer was lost may have reached Temporal). Asked briefly: when
   * Temporal does not answer, the start's own failure is the answer (a 503; the client's retry with its key is safe).
   */
  private async exists(workflowId: string): Promise<boolean> {
    try {
      await this.temporal.withDeadline(Date.now() + this.existsDeadlineMs(), () =>
        this.temporal.workflow.getHandle(workflowId).describe(),
      );
      return true;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return false;
      if (unavailableDependency(err)) return false;
      throw err;
    }
  }

  /**
   * The duplicate warning (docs/PLAYBOOK.md "People"): for a caller who may search people, a start for someone who
   * looks already known is a 409 DUPLICATE_SUSPECTED naming the candidates, unless the request overrides it with a
   * reason. The candidates shown are audited as a read of each. A repeat of a start (the same Idempotency-Key, its
   * pathway already there) is not checked again; its own pathway is never a candidate. Callers who may not search
   * (caseworkers opening for their agency) are not warned: the warning would tell them who is known.
   */
  private async warnOfDuplicates(
    dto: CreatePathwayDto,
    id: string,
    actor: Actor,
  ): Promise<{ candidates: string[]; reason: string } | undefined> {
    if (!may('person.search', actor) || (await this.read.findPathway(id))) return undefined;
    const person = { name: dto.person.name.trim(), birthDate: dto.person.birthDate };
    const hits = await this.people.lookalikes(person, id);
    if (hits.length === 0) return undefined;
    const ids = hits.map((h) => h.pathwayId);
    if (dto.duplicateOverride) return { candidates: ids, reason: dto.duplicateOverride.reason.trim() };
    await this.trail.pathways(actor, 'DUPLICATE_WARNING', ids);
    const candidates: DuplicateCandidateView[] = hits.map((h) => ({
      pathwayId: h.pathwayId,
      name: h.name,
      birthDate: h.birthDate,
      stage: h.stage,
      openedAt: h.openedAt.toISOString(),
      match: h.birthDate === person.birthDate ? 'BIRTH_DATE_AND_NAME_WORD' : 'NAME_AND_BIRTH_DATE_SLIP',
    }));
    throw new ConflictException({
      statusCode: 409,
      error: 'Conflict',
      code: 'DUPLICATE_SUSPECTED',
      message:
        'someone with this birth date and a name in common (or this name and a birth date a typing slip away) is ' +
        'already known: look at the candidates, or start anyway with duplicateOverride.reason',
      candidates,
    });
  }

  private async sameRequest(id: string, input: PathwayWorkflowInput): Promise<boolean> {
    const [stored, timeline] = await Promise.all([this.read.findPerson(id), this.read.timeline(id)]);
    if (!stored) return false;
    // The district the pathway opened in (a later MOVED changes the pathway's, not the request's).
    const opened = timeline.find((e) => e.kind === 'PATHWAY_OPENED');
    return (
      opened?.detail.district === input.person.district &&
      stored.name === input.person.name &&
      stored.birthDate === input.person.birthDate &&
      (stored.livesWithParents ?? undefined) === input.person.livesWithParents &&
      stored.contactSourceAgency === input.contact.sourceAgency &&
      stored.contactOccurredAt.getTime() === Date.parse(input.contact.occurredAt) &&
      stored.contactContext === input.contact.context &&
      (stored.contactTargetGroup ?? undefined) === input.contact.targetGroup
    );
  }

  /** The pathway's read-model row; 404 for an unknown or malformed id. */
  async find(id: string): Promise<PathwayEntity> {
    const pathway = isUuid(id) ? await this.read.findPathway(id) : null;
    if (!pathway) throw notFound('pathway', id, UUID_SHAPE);
    return pathway;
  }

  /** Whole, with the assignees (user ids) of the actor's own agency's tasks only. */
  private async get(id: string, actor: Actor): Promise<PathwayView> {
    return this.viewOf(await this.whole(id), actor);
  }

  /** The pathway's rows: the pathway (404 when unknown), its person, tasks and timeline. */
  private async whole(id: string): Promise<WholePathway> {
    const pathway = await this.find(id);
    const [person, tasks, timeline] = await Promise.all([
      this.read.findPerson(id),
      this.tasks.ofPathway(id),
      this.read.timeline(id),
    ]);
    return { pathway, person, tasks, timeline };
  }

  private async viewOf({ pathway, person, tasks, timeline }: WholePathway, actor: Actor): Promise<PathwayView> {
    const pendingClosure = pendingClosureFrom(timeline);
    return {
      ...summaryOf(pathway),
      ...(pathway.motivated !== null ? { motivated: pathway.motivated } : {}),
      ...(pathway.closedAt ? { closedAt: pathway.closedAt.toISOString() } : {}),
      ...(pendingClosure ? { pendingClosure } : {}),
      ...(pathway.closedAt ? { reopenableUntil: reopenDeadline(pathway.closedAt.toISOString()) } : {}),
      person: {
        name: person?.name ?? '',
        birthDate: person?.birthDate ?? '',
        ...(person?.livesWithParents != null ? { livesWithParents: person.livesWithParents } : {}),
      },
      tasks: await this.assignees.tasks(actor, tasks),
      timeline: this.assignees.timeline(actor, timeline, tasks).map(({ id: _id, ...entry }) => entry),
    };
  }

  /**
   * The pathway as a person who just acted on it may see it: whole for the coordinators and the operative group; for
   * anyone else its stage and that agency's own tasks, without the person, the timeline or (unless the
   * agency may see gang-related context) the track.
   */
  async viewFor(id: string, actor: Actor): Promise<PathwayView> {
    // The command's own audit row covers this answer (apps/api/src/core/audited-routes.ts).
    if (may('pathway.read', actor)) return this.get(id, actor);
    const agency = actor.agency;
    // Neither the person nor the timeline is read for an answer that leaves them out.
    const [pathway, tasks] = await Promise.all([this.find(id), this.tasks.ofPathway(id)]);
    const { track, consent, ...rest } = summaryOf(pathway);
    return {
      ...rest,
      ...(pathway.closedAt ? { closedAt: pathway.closedAt.toISOString() } : {}),
      // Track, consent and motivation say whether the person is in an exit programme: gang-related context.
      ...(seesContext(actor)
        ? {
            ...(track ? { track } : {}),
            consent,
            ...(pathway.motivated !== null ? { motivated: pathway.motivated } : {}),
          }
        : {}),
      tasks: await this.assignees.tasks(
        actor,
        tasks.filter((t) => t.agency === agency),
      ),
    };
  }

  async timeline(id: string, actor: Actor): Promise<TimelineView> {
    await this.find(id);
    await this.trail.pathway(actor, 'READ_TIMELINE', id);
    const [entries, tasks] = await Promise.all([this.read.timeline(id), this.tasks.ofPathway(id)]);
    return { items: this.assignees.timeline(actor, entries, tasks).map(({ id: _id, ...entry }) => entry) };
  }

  async list(query: PathwayListQueryDto): Promise<PathwayPageView> {
    const after = query.cursor === undefined ? undefined : decodePathwayCursor(query.cursor);
    if (query.cursor !== undefined && !after) {
      throw badRequest([{ field: 'cursor', reason: 'is not a cursor this API handed out' }]);
    }
    if (query.district !== undefined && !(await this.districts.find(query.district)))
      throw badRequest([{ field: 'district', reason: `unknown district '${query.district}'` }]);
    const page = await this.read.listPathways(
      {
        stage: query.stage,
        track: query.track,
        district: query.district,
        overdue: query.overdue,
        stalled: query.stalled,
        priority: query.priority,
        releaseWithinWeeks: query.releaseWithinWeeks,
        turning18WithinMonths: query.turning18WithinMonths,
      },
      query.limit ?? 50,
      after,
    );
    return { items: page.items.map(summaryOf), nextCursor: page.nextCursor };
  }

  /** Waits, up to `deadline`, until the worker has written the pathway into the read model. */
  private async waitForReadModel(id: string, deadline: number): Promise<boolean> {
    const handle = this.temporal.workflow.getHandle(pathwayWorkflowId(id));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()));
    });
    try {
      const synced = handle.executeUpdate(syncUpdate).then(
        () => true,
        // A pathway that has ended takes no update; it was written before it ended.
        async (err: unknown) => {
          if (err instanceof WorkflowNotFoundError) return (await this.read.findPathway(id)) !== null;
          throw err;
        },
      );
      // The update goes on after the timeout; its outcome no longer matters.
      synced.catch(() => undefined);
      return await Promise.race([synced, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** gRPC UNAVAILABLE (14) anywhere in the chain: the call never reached the server (refused, no connection). */
function unreachable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    if (isGrpcServiceError(e) && e.code === 14) return true;
  }
  return false;
}

/** How long a start that failed asks Temporal whether the workflow exists after all. */
const EXISTS_DEADLINE_MS = 1000;

/** Seconds a client waits before repeating a start that is not written yet: the worker catches up in about that. */
export const START_PENDING_RETRY_AFTER_SECONDS = 2;

function startPending(id: string): RetryLaterException {
  return new RetryLaterException(
    {
      code: 'START_PENDING',
      id,
      message:
        'the pathway is started but its first tasks were not written in time; repeat the request with the same ' +
        'Idempotency-Key in a moment',
    },
    START_PENDING_RETRY_AFTER_SECONDS,
  );
}

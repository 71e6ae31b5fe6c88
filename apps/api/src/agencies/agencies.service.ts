// An agency's work: its queue (most urgent first) and "give me the next task", which claims the most urgent
// unclaimed task for the caller and never hands the same task to two callers. Both are audited: a queue row names no
// person, but it points at one (the pathway id), so who listed which queue, and how many rows it saw, is recorded.
import { createHash } from 'node:crypto';
import { ConflictException, HttpException, Inject, Injectable, Optional } from '@nestjs/common';
import { AGENCY_CODE_PATTERN, publicTask, type Actor } from '../../../../libs/domain/src';
import { claimTaskUpdate } from '../../../../workflows/pathway/messages';
import {
  OversightRepository,
  QueueRepository,
  ReadRepository,
  UserRepository,
  decodeEndedCursor,
  decodeUrgencyCursor,
} from '../../../../libs/persistence/src';
import { DEFAULT_PERSON_VISIBLE_DAYS_AFTER_TASK, type ApiConfig } from '../config';
import { API_CONFIG } from '../core/tokens';
import type { Answer } from '../core/respond';
import { authorize, ownAssignee } from '../core/actor';
import { Assignees } from '../core/assignees';
import { AuditTrail, type Listed } from '../core/audit-trail';
import { WorkflowCommands, idempotencyKeyOf } from '../core/workflow-commands';
import { TasksService } from '../tasks/tasks.service';
import { badRequest, notFound } from '../core/validation';
import type { TaskCommandView } from '../tasks/task.dto';
import type {
  AgencyCapacityView,
  AgencyUserView,
  AgencyView,
  BulkAssignDto,
  BulkAssignResult,
  BulkAssignView,
  NextTaskDto,
  QueueQueryDto,
  TaskPageView,
} from './agency.dto';

/** How many reserved candidates a `next` call tries before saying the queue has nothing for it. */
const NEXT_ATTEMPTS = 5;

@Injectable()
export class AgenciesService {
  constructor(
    private readonly read: ReadRepository,
    private readonly queue: QueueRepository,
    private readonly commands: WorkflowCommands,
    private readonly trail: AuditTrail,
    private readonly people: UserRepository,
    private readonly assignees: Assignees,
    private readonly tasksOf: TasksService,
    private readonly figures: OversightRepository,
    @Optional() @Inject(API_CONFIG) private readonly config?: ApiConfig,
  ) {}

  async list(): Promise<AgencyView[]> {
    const rows = await this.read.listAgencies();
    return rows.filter((a) => a.active).map(({ code, name, description }) => ({ code, name, description }));
  }

  private async agency(code: string): Promise<string> {
    const agency = await this.read.findAgency(code);
    if (!agency) throw notFound('agency', code, AGENCY_CODE_PATTERN);
    return agency.code;
  }

  /**
   * A tab of the queue: the active work (ACTIVE, the default: open and not on hold, most urgent first), the work on
   * hold (HELD, same order), or what ended within the days the person stays visible after a task (ENDED, newest
   * first: the "Afsluttet" tab). Mine and Ikke tildelt are ACTIVE with `assignee` or `status=OPEN`.
   */
  async tasks(code: string, query: QueueQueryDto, actor: Actor): Promise<TaskPageView> {
    const agency = await this.agency(code);
    const view = query.view ?? 'ACTIVE';
    if (view === 'ENDED') {
      for (const field of ['status', 'overdue'] as const) {
        if (query[field] !== undefined)
          throw badRequest([{ field, reason: 'applies to the open tabs (view ACTIVE or HELD), not to ENDED' }]);
      }
    }
    const after =
      query.cursor === undefined
        ? undefined
        : view === 'ENDED'
          ? decodeEndedCursor(query.cursor)
          : decodeUrgencyCursor(query.cursor);
    if (query.cursor !== undefined && !after) {
      throw badRequest([{ field: 'cursor', reason: 'is not a cursor this API handed out for this view' }]);
    }
    const limit = query.limit ?? 50;
    const days = this.config?.personVisibleDaysAfterTask ?? DEFAULT_PERSON_VISIBLE_DAYS_AFTER_TASK;
    const page =
      view === 'ENDED'
        ? await this.queue.endedPage(agency, { assignee: query.assignee }, days, limit, after as never)
        : await this.queue.page(
            agency,
            { held: view === 'HELD', status: query.status, overdue: query.overdue, assignee: query.assignee },
            limit,
            after as never,
          );
    const listed = {
      detail: {
        agency,
        ...(view !== 'ACTIVE' ? { view } : {}),
        ...(query.status ? { status: query.status } : {}),
        ...(query.overdue !== undefined ? { overdue: query.overdue } : {}),
        ...(query.assignee ? { assignee: query.assignee } : {}),
        ...(query.cursor ? { page: 'next' } : {}),
      },
      itemCount: page.items.length,
    };
    const items = await this.withNames(await this.assignees.tasks(actor, page.items), actor, listed);
    return { ...page, items };
  }

  /**
   * The person's name on each row, so a caseworker can act without opening it: the guard has let only the queue's
   * own agency and the coordinators through, and every queued task is open or ended within the days the person stays
   * visible after a task (need to know, as on the task page). An external partner gets no person, here as there.
   * Every name shown is audited, one row per pathway, each with what was listed; a page that names nobody is one
   * LIST_QUEUE row.
   */
  private async withNames<T extends { pathwayId: string }>(
    items: T[],
    actor: Actor,
    listed: Listed,
  ): Promise<(T & { personName?: string })[]> {
    const names =
      actor.agencyKind === 'EXTERNAL' || items.length === 0
        ? new Map<string, string>()
        : await this.read.personNames(items.map((t) => t.pathwayId));
    if (names.size === 0) {
      await this.trail.list(actor, 'LIST_QUEUE', listed);
      return items;
    }
    await this.trail.pathways(actor, 'READ_QUEUE_PERSON', [...names.keys()], listed);
    return items.map((t) => (names.has(t.pathwayId) ? { ...t, personName: names.get(t.pathwayId) } : t));
  }

  /** The agency's people who have signed in (the users table): whom its team lead can assign. */
  async users(code: string): Promise<AgencyUserView[]> {
    const agency = await this.agency(code);
    return (await this.people.ofAgency(agency)).map((u) => ({
      userId: u.userId,
      displayName: u.displayName,
      roles: u.roles,
      lastSeenAt: u.lastSeenAt.toISOString(),
    }));
  }

  /** Kapacitet per person for the agency's team lead: who holds how much, and who has been absent `absentDays`. */
  async capacity(code: string, absentDays: number): Promise<AgencyCapacityView> {
    const agency = await this.agency(code);
    const at = new Date();
    const { unassigned, people } = await this.figures.capacity(agency, at, absentDays);
    return {
      agency,
      at: at.toISOString(),
      absentDays,
      unassigned,
      people: people.map((p) => ({
        ...p,
        lastSeenAt: p.lastSeenAt?.toISOString() ?? null,
        lastActionAt: p.lastActionAt?.toISOString() ?? null,
      })),
    };
  }

  /**
   * A team lead's bulk assignment: each task as POST /tasks/{id}/assign would do it, one after the other, each
   * result reported (a task of another agency is a 403 of its own, a done one a 409); the person is checked once.
   * With an Idempotency-Key each task's assignment runs once under a key derived from it and the task id, so a
   * retried bulk request gives each task the first answer again (the same key with another person: a 409 per task).
   */
  async assign(code: string, dto: BulkAssignDto, key: string | undefined, actor: Actor): Promise<BulkAssignView> {
    const bulkKey = idempotencyKeyOf(key);
    const agency = await this.agency(code);
    await this.tasksOf.agencyMember(agency, dto.userId);
    const results: BulkAssignResult[] = [];
    const digest = bulkKey === undefined ? undefined : createHash('sha256').update(bulkKey, 'utf8').digest('hex');
    for (const taskId of dto.taskIds) {
      try {
        const taskKey = digest === undefined ? undefined : `bulk-${digest}-${taskId}`;
        const { task } = await this.tasksOf.assign(taskId, { userId: dto.userId }, taskKey, actor);
        results.push({ taskId, status: 200, task });
      } catch (err) {
        if (!(err instanceof HttpException)) throw err;
        results.push({ taskId, status: err.getStatus(), message: messageOf(err) });
      }
    }
    return { results };
  }

  /** 204 when the agency has no unclaimed work left. The task is taken in the caller's own name (its user id). */
  async next(code: string, dto: NextTaskDto, named: Actor | undefined): Promise<Answer<TaskCommandView>> {
    const agency = await this.agency(code);
    const actor = authorize('queue.take', named, agency);
    const assignee = ownAssignee(actor, dto.assignee);
    const answer = await this.takeNext(agency, actor, assignee);
    const taken = answer.status === 200 ? answer.body?.task : undefined;
    const listed = { detail: { agency }, itemCount: taken ? 1 : 0 };
    if (taken) await this.trail.pathway(actor, 'TAKE_NEXT_TASK', taken.pathwayId, taken.id, listed);
    else await this.trail.list(actor, 'TAKE_NEXT_TASK', listed);
    return answer;
  }

  private async takeNext(agency: string, actor: Actor, assignee: string): Promise<Answer<TaskCommandView>> {
    const requestedBy = actor.agency;
    const tried: string[] = [];
    for (let attempt = 0; attempt < NEXT_ATTEMPTS; attempt++) {
      const candidate = await this.queue.reserveNext(agency, assignee, tried);
      if (!candidate) return { status: 204 };
      tried.push(candidate.id);
      try {
        const status = await this.commands.send(candidate.pathwayId, 'assignee', (h) =>
          h.executeUpdate(claimTaskUpdate, { args: [{ taskId: candidate.id, requestedBy, assignee }] }),
        );
        await this.queue.release(candidate.id);
        const task = {
          ...publicTask(status.tasks.find((t) => t.id === candidate.id)!),
          ...(status.priority === 'HIGH' ? { prioritized: true } : {}),
        };
        return { status: 200, body: { task: await this.assignees.task(actor, task), pathwayStage: status.stage } };
      } catch (err) {
        // Claimed or closed meanwhile through another door: release it and take the next one.
        await this.queue.release(candidate.id);
        if (!(err instanceof ConflictException)) throw err;
      }
    }
    return { status: 204 };
  }
}

/** An HTTP refusal's reason, as its body says it (a 400 lists its fields). */
function messageOf(err: HttpException): string {
  const body = err.getResponse();
  if (typeof body === 'string') return body;
  const { message, errors } = body as { message?: unknown; errors?: { field: string; reason: string }[] };
  if (Array.isArray(errors)) return errors.map((e) => `${e.field} ${e.reason}`).join('; ');
  return typeof message === 'string' ? message : err.message;
}

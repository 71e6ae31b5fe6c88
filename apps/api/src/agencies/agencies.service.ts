// An agency's work: its queue (most urgent first) and "give me the next task", which claims the most urgent
// unclaimed task for the caller and never hands the same task to two callers. Both are audited: a queue row names no
// person, but it points at one (the pathway id), so who listed which queue, and how many rows it saw, is recorded.
import { createHash } from 'node:crypto';
import { ConflictException, HttpException, Injectable } from '@nestjs/common';
import { AGENCY_CODE_PATTERN, publicTask, type Actor } from '../../../../libs/domain/src';
import { claimTaskUpdate } from '../../../../workflows/pathway/messages';
import { QueueRepository, ReadRepository, UserRepository, decodeUrgencyCursor } from '../../../../libs/persistence/src';
import type { Answer } from '../core/respond';
import { authorize, ownAssignee } from '../core/actor';
import { Assignees } from '../core/assignees';
import { AuditTrail } from '../core/audit-trail';
import { WorkflowCommands, idempotencyKeyOf } from '../core/workflow-commands';
import { TasksService } from '../tasks/tasks.service';
import { badRequest, notFound } from '../core/validation';
import type { TaskCommandView } from '../tasks/task.dto';
import type {
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

  async tasks(code: string, query: QueueQueryDto, actor: Actor): Promise<TaskPageView> {
    const agency = await this.agency(code);
    const after = query.cursor === undefined ? undefined : decodeUrgencyCursor(query.cursor);
    if (query.cursor !== undefined && !after) {
      throw badRequest([{ field: 'cursor', reason: 'is not a cursor this API handed out' }]);
    }
    const filter = { status: query.status, overdue: query.overdue, assignee: query.assignee };
    const page = await this.queue.page(agency, filter, query.limit ?? 50, after);
    await this.trail.list(actor, 'LIST_QUEUE', {
      detail: {
        agency,
        ...(query.status ? { status: query.status } : {}),
        ...(query.overdue !== undefined ? { overdue: query.overdue } : {}),
        ...(query.assignee ? { assignee: query.assignee } : {}),
        ...(query.cursor ? { page: 'next' } : {}),
      },
      itemCount: page.items.length,
    });
    return { ...page, items: await this.withNames(await this.assignees.tasks(actor, page.items), actor) };
  }

  /**
   * The person's name on each row, so a caseworker can act without opening it: the guard has let only the queue's
   * own agency and the coordinators through, and every queued task is open (need to know, as on the task page). An
   * external partner gets no person, here as there. Every name shown is audited, one row per pathway.
   */
  private async withNames<T extends { pathwayId: string }>(
    items: T[],
    actor: Actor | undefined,
  ): Promise<(T & { personName?: string })[]> {
    if (!actor || actor.agencyKind === 'EXTERNAL' || items.length === 0) return items;
    const names = await this.read.personNames(items.map((t) => t.pathwayId));
    if (names.size === 0) return items;
    await this.trail.pathways(actor, 'READ_QUEUE_PERSON', [...names.keys()]);
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
        const task = publicTask(status.tasks.find((t) => t.id === candidate.id)!);
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

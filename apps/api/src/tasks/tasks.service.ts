// Task commands go through the pathway workflow (Temporal Updates) whose validators refuse what does not fit
// before it reaches history; the read model is written before the update returns. Reading a task's person is
// need-to-know and audited. Who may do what to a task is the policy's (libs/domain/src/policy.ts): the guard decides
// the operative group's commands; whether the task is the actor's is decided here, once the task is read.
import { Inject, Injectable } from '@nestjs/common';
import {
  assignTaskRefusal,
  cancelTaskRefusal,
  claimTaskRefusal,
  completeTaskRefusal,
  extendTaskRefusal,
  isUuid,
  oversees,
  publicTask,
  reassignTaskRefusal,
  seesContext,
  taskFacts,
  unclaimTaskRefusal,
  type Actor,
  type PathwayStatus,
  type Refusal,
  type TaskFacts,
} from '../../../../libs/domain/src';
import {
  ReadRepository,
  TaskRepository,
  UserRepository,
  toTask,
  type TaskEntity,
} from '../../../../libs/persistence/src';
import {
  assignTaskUpdate,
  cancelTaskUpdate,
  claimTaskUpdate,
  completeTaskUpdate,
  extendTaskUpdate,
  reassignTaskUpdate,
  unclaimTaskUpdate,
} from '../../../../workflows/pathway/messages';
import { DEFAULT_PERSON_VISIBLE_DAYS_AFTER_TASK, type ApiConfig } from '../config';
import { authorize, ownAssignee } from '../core/actor';
import { Assignees } from '../core/assignees';
import { AuditTrail } from '../core/audit-trail';
import { API_CONFIG } from '../core/tokens';
import { WorkflowCommands, actorOf, refusalToHttp } from '../core/workflow-commands';
import { UUID_SHAPE, badRequest, notFound } from '../core/validation';
import type {
  AssignTaskDto,
  ClaimTaskDto,
  CompleteTaskDto,
  ExtendTaskDto,
  ReasonDto,
  ReassignTaskDto,
  TaskCommandView,
  TaskDetailView,
} from './task.dto';

@Injectable()
export class TasksService {
  constructor(
    private readonly read: ReadRepository,
    private readonly tasks: TaskRepository,
    private readonly trail: AuditTrail,
    private readonly commands: WorkflowCommands,
    private readonly users: UserRepository,
    private readonly assignees: Assignees,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  async find(id: string): Promise<TaskEntity> {
    const row = isUuid(id) ? await this.tasks.find(id) : null;
    if (!row) throw notFound('task', id, UUID_SHAPE);
    return row;
  }

  /**
   * The command's refusal against the read model, before Temporal is contacted: the same pure function the
   * workflow's validator runs against its own state (libs/domain/src/pathway/refusals.ts). The read model may lag
   * the workflow by a moment; the validator has the last word. Whose task it is was settled before (`authorize`).
   */
  private check(row: TaskEntity, inputField: string, refuse: (task: TaskFacts) => Refusal | undefined): void {
    const refusal = refuse(taskFacts(toTask(row)));
    if (refusal) throw refusalToHttp(refusal, inputField);
  }

  /**
   * A task command under its Idempotency-Key (WorkflowCommands.once): the read-model check, then the Update, whose
   * answer is the task as the workflow left it, as the actor may see it. A repeat must come from the same actor
   * (actorOf is part of the request), so the stored answer shows what the actor saw the first time.
   */
  private command(
    row: TaskEntity,
    key: string | undefined,
    request: { command: string; actor: Actor; dto?: unknown },
    check: () => void | Promise<void>,
    send: (updateId: string | undefined) => Promise<PathwayStatus>,
  ): Promise<TaskCommandView> {
    const { command, actor, dto } = request;
    return this.commands.once(
      { pathwayId: row.pathwayId, key, request: { command, actor: actorOf(actor), task: row.id, dto } },
      { check, run: async (updateId) => this.view(await send(updateId), row.id, actor) },
    );
  }

  /**
   * The task after a command, as the actor may see it: the assignee and the outcome note only for the task's own
   * agency (the one that wrote the note).
   */
  private async view(status: PathwayStatus, id: string, actor: Actor): Promise<TaskCommandView> {
    const found = status.tasks.find((t) => t.id === id)!;
    const own = actor.agency === found.agency;
    const task = { ...publicTask(found), ...(found.note && own ? { note: found.note } : {}) };
    return { task: await this.assignees.task(actor, task), pathwayStage: status.stage };
  }

  /** The task as the reader sees it: the outcome note only for the agency that wrote it. */
  private readable(row: TaskEntity, actor: Actor) {
    return { ...toTask(row), ...(row.note && actor.agency === row.agency ? { note: row.note } : {}) };
  }

  async detail(id: string, named: Actor | undefined): Promise<TaskDetailView> {
    const row = await this.find(id);
    const actor = authorize('task.read', named, row.agency);
    const task = await this.assignees.task(actor, this.readable(row, actor));
    // An external partner works the task and never receives the person (libs/domain/src/roles.ts).
    if (actor.agencyKind === 'EXTERNAL') return { task };
    // Need to know ends with the work: the task's own agency sees the person while the task is open and for a while
    // after it ended, then the task alone. The coordinators and the operative group see every pathway whole.
    const days = this.config.personVisibleDaysAfterTask ?? DEFAULT_PERSON_VISIBLE_DAYS_AFTER_TASK;
    const [person, pathway] = await Promise.all([
      oversees(actor) ? this.read.findPerson(row.pathwayId) : this.read.personThroughTask(row.id, days),
      this.read.findPathway(row.pathwayId),
    ]);
    if (!person) return { task };
    await this.trail.pathway(actor, 'READ_TASK_PERSON', row.pathwayId, row.id);
    return {
      task,
      person: { name: person.name, birthDate: person.birthDate },
      ...(seesContext(actor) && pathway
        ? {
            context: {
              stage: pathway.stage,
              ...(pathway.track ? { track: pathway.track } : {}),
              district: pathway.district,
              contactSourceAgency: person.contactSourceAgency,
              contactContext: person.contactContext,
              ...(person.contactTargetGroup ? { contactTargetGroup: person.contactTargetGroup } : {}),
            },
          }
        : {}),
    };
  }

  async complete(
    id: string,
    dto: CompleteTaskDto,
    key: string | undefined,
    named: Actor | undefined,
  ): Promise<TaskCommandView> {
    const row = await this.find(id);
    // Another agency hears that the task is not its own before it hears anything about the task's state.
    const actor = authorize('task.complete', named, row.agency);
    const note = dto.note?.trim();
    return this.command(
      row,
      key,
      { command: 'complete', actor, dto },
      () =>
        this.check(row, 'outcome', (task) =>
          completeTaskRefusal(task, { outcome: dto.outcome, completedBy: actor.agency, note }),
        ),
      (updateId) =>
        this.commands.send(row.pathwayId, 'outcome', (h) =>
          h.executeUpdate(completeTaskUpdate, {
            args: [{ taskId: id, outcome: dto.outcome, completedBy: actor.agency, ...(note ? { note } : {}) }],
            ...(updateId ? { updateId } : {}),
          }),
        ),
    );
  }

  /** Taken in the caller's own name: the user id of the token (an `assignee` sent must be that id). */
  async claim(
    id: string,
    dto: ClaimTaskDto,
    key: string | undefined,
    named: Actor | undefined,
  ): Promise<TaskCommandView> {
    const row = await this.find(id);
    const actor = authorize('task.claim', named, row.agency);
    const assignee = ownAssignee(actor, dto.assignee);
    return this.command(
      row,
      key,
      { command: 'claim', actor, dto },
      () => this.check(row, 'assignee', (task) => claimTaskRefusal(task, { requestedBy: actor.agency, assignee })),
      (updateId) =>
        this.commands.send(row.pathwayId, 'assignee', (h) =>
          h.executeUpdate(claimTaskUpdate, {
            args: [{ taskId: id, requestedBy: actor.agency, assignee }],
            ...(updateId ? { updateId } : {}),
          }),
        ),
    );
  }

  /**
   * A team lead gives a task of its agency to one of its people (claimed by someone else or not): who may first, then
   * whether the person is one of the agency's (known from their sign-in), then the task's state.
   */
  async assign(
    id: string,
    dto: AssignTaskDto,
    key: string | undefined,
    named: Actor | undefined,
  ): Promise<TaskCommandView> {
    const row = await this.find(id);
    const actor = authorize('task.assign', named, row.agency);
    return this.command(
      row,
      key,
      { command: 'assign', actor, dto },
      async () => {
        await this.agencyMember(row.agency, dto.userId);
        this.check(row, 'userId', (task) =>
          assignTaskRefusal(task, { requestedBy: actor.agency, assignee: dto.userId }),
        );
      },
      (updateId) =>
        this.commands.send(row.pathwayId, 'userId', (h) =>
          h.executeUpdate(assignTaskUpdate, {
            args: [
              {
                taskId: id,
                requestedBy: actor.agency,
                requestedByRoles: actor.roles,
                assignee: dto.userId,
                assignedBy: actor.userId,
              },
            ],
            ...(updateId ? { updateId } : {}),
          }),
        ),
    );
  }

  /** 400 naming userId unless it is a person of `agency` who has signed in (the users table). */
  async agencyMember(agency: string, userId: string): Promise<void> {
    const user = await this.users.find(userId);
    if (!user || user.agency !== agency) {
      throw badRequest([
        { field: 'userId', reason: 'is not a person of this agency (people are known once they have signed in)' },
      ]);
    }
  }

  async unclaim(id: string, key: string | undefined, named: Actor | undefined): Promise<TaskCommandView> {
    const row = await this.find(id);
    const actor = authorize('task.unclaim', named, row.agency);
    return this.command(
      row,
      key,
      { command: 'unclaim', actor },
      () => this.check(row, 'id', (task) => unclaimTaskRefusal(task, { requestedBy: actor.agency })),
      (updateId) =>
        this.commands.send(row.pathwayId, 'id', (h) =>
          h.executeUpdate(unclaimTaskUpdate, {
            args: [{ taskId: id, requestedBy: actor.agency }],
            ...(updateId ? { updateId } : {}),
          }),
        ),
    );
  }

  async reassign(id: string, dto: ReassignTaskDto, key: string | undefined, actor: Actor): Promise<TaskCommandView> {
    const row = await this.find(id);
    const toAgency = await this.commands.existingAgency(dto.toAgency, 'toAgency');
    return this.command(
      row,
      key,
      { command: 'reassign', actor, dto },
      () =>
        this.check(row, 'reason', (task) =>
          reassignTaskRefusal(task, { requestedBy: actor.agency, toAgency, reason: dto.reason }),
        ),
      (updateId) =>
        this.commands.send(row.pathwayId, 'reason', (h) =>
          h.executeUpdate(reassignTaskUpdate, {
            args: [
              {
                taskId: id,
                requestedBy: actor.agency,
                requestedByRoles: actor.roles,
                toAgency,
                reason: dto.reason.trim(),
              },
            ],
            ...(updateId ? { updateId } : {}),
          }),
        ),
    );
  }

  async extend(id: string, dto: ExtendTaskDto, key: string | undefined, actor: Actor): Promise<TaskCommandView> {
    const row = await this.find(id);
    const { dueAt, reason } = dto;
    return this.command(
      row,
      key,
      { command: 'extend', actor, dto },
      () =>
        this.check(row, 'dueAt', (task) =>
          extendTaskRefusal(task, { requestedBy: actor.agency, dueAt, reason }, new Date()),
        ),
      (updateId) =>
        this.commands.send(row.pathwayId, 'dueAt', (h) =>
          h.executeUpdate(extendTaskUpdate, {
            args: [
              {
                taskId: id,
                requestedBy: actor.agency,
                requestedByRoles: actor.roles,
                dueAt: dto.dueAt,
                reason: dto.reason.trim(),
              },
            ],
            ...(updateId ? { updateId } : {}),
          }),
        ),
    );
  }

  async cancel(id: string, dto: ReasonDto, key: string | undefined, actor: Actor): Promise<TaskCommandView> {
    const row = await this.find(id);
    return this.command(
      row,
      key,
      { command: 'cancel', actor, dto },
      () =>
        this.check(row, 'reason', (task) => cancelTaskRefusal(task, { requestedBy: actor.agency, reason: dto.reason })),
      (updateId) =>
        this.commands.send(row.pathwayId, 'reason', (h) =>
          h.executeUpdate(cancelTaskUpdate, {
            args: [{ taskId: id, requestedBy: actor.agency, requestedByRoles: actor.roles, reason: dto.reason.trim() }],
            ...(updateId ? { updateId } : {}),
          }),
        ),
    );
  }
}

// Task commands go through the pathway workflow (Temporal Updates) whose validators refuse what does not fit
// before it reaches history; the read model is written before the update returns. Reading a task's person is
// need-to-know and audited. Who may do what to a task is the policy's (libs/domain/src/policy.ts): the guard decides
// the operative group's commands; whether the task is the actor's is decided here, once the task is read.
import { Inject, Injectable } from '@nestjs/common';
import {
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
import { ReadRepository, TaskRepository, toTask, type TaskEntity } from '../../../../libs/persistence/src';
import {
  cancelTaskUpdate,
  claimTaskUpdate,
  completeTaskUpdate,
  extendTaskUpdate,
  reassignTaskUpdate,
  unclaimTaskUpdate,
} from '../../../../workflows/pathway/messages';
import { DEFAULT_PERSON_VISIBLE_DAYS_AFTER_TASK, type ApiConfig } from '../config';
import { authorize } from '../core/actor';
import { AuditTrail } from '../core/audit-trail';
import { API_CONFIG } from '../core/tokens';
import { WorkflowCommands, refusalToHttp } from '../core/workflow-commands';
import { UUID_SHAPE, notFound } from '../core/validation';
import type {
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

  private view(status: PathwayStatus, id: string): TaskCommandView {
    return { task: publicTask(status.tasks.find((t) => t.id === id)!), pathwayStage: status.stage };
  }

  async detail(id: string, named: Actor | undefined): Promise<TaskDetailView> {
    const row = await this.find(id);
    const actor = authorize('task.read', named, row.agency);
    // An external partner works the task and never receives the person (libs/domain/src/roles.ts).
    if (actor.agencyKind === 'EXTERNAL') return { task: toTask(row) };
    // Need to know ends with the work: the task's own agency sees the person while the task is open and for a while
    // after it ended, then the task alone. The coordinators and the operative group see every pathway whole.
    const days = this.config.personVisibleDaysAfterTask ?? DEFAULT_PERSON_VISIBLE_DAYS_AFTER_TASK;
    const [person, pathway] = await Promise.all([
      oversees(actor) ? this.read.findPerson(row.pathwayId) : this.read.personThroughTask(row.id, days),
      this.read.findPathway(row.pathwayId),
    ]);
    if (!person) return { task: toTask(row) };
    await this.trail.pathway(actor, 'READ_TASK_PERSON', row.pathwayId, row.id);
    return {
      task: toTask(row),
      person: { name: person.name, birthDate: person.birthDate },
      ...(seesContext(actor.agency) && pathway
        ? {
            context: {
              stage: pathway.stage,
              ...(pathway.track ? { track: pathway.track } : {}),
              district: pathway.district,
              contactSourceAgency: person.contactSourceAgency,
              contactContext: person.contactContext,
            },
          }
        : {}),
    };
  }

  async complete(id: string, dto: CompleteTaskDto, named: Actor | undefined): Promise<TaskCommandView> {
    const row = await this.find(id);
    // Another agency hears that the task is not its own before it hears anything about the task's state.
    const actor = authorize('task.complete', named, row.agency);
    this.check(row, 'outcome', (task) =>
      completeTaskRefusal(task, { outcome: dto.outcome, completedBy: actor.agency }),
    );
    const status = await this.commands.send(row.pathwayId, 'outcome', (h) =>
      h.executeUpdate(completeTaskUpdate, {
        args: [{ taskId: id, outcome: dto.outcome.trim(), completedBy: actor.agency }],
      }),
    );
    return this.view(status, id);
  }

  async claim(id: string, dto: ClaimTaskDto, named: Actor | undefined): Promise<TaskCommandView> {
    const row = await this.find(id);
    const actor = authorize('task.claim', named, row.agency);
    this.check(row, 'assignee', (task) =>
      claimTaskRefusal(task, { requestedBy: actor.agency, assignee: dto.assignee }),
    );
    const status = await this.commands.send(row.pathwayId, 'assignee', (h) =>
      h.executeUpdate(claimTaskUpdate, {
        args: [{ taskId: id, requestedBy: actor.agency, assignee: dto.assignee.trim() }],
      }),
    );
    return this.view(status, id);
  }

  async unclaim(id: string, named: Actor | undefined): Promise<TaskCommandView> {
    const row = await this.find(id);
    const actor = authorize('task.unclaim', named, row.agency);
    this.check(row, 'id', (task) => unclaimTaskRefusal(task, { requestedBy: actor.agency }));
    const status = await this.commands.send(row.pathwayId, 'id', (h) =>
      h.executeUpdate(unclaimTaskUpdate, { args: [{ taskId: id, requestedBy: actor.agency }] }),
    );
    return this.view(status, id);
  }

  async reassign(id: string, dto: ReassignTaskDto, actor: Actor): Promise<TaskCommandView> {
    const row = await this.find(id);
    const toAgency = await this.commands.existingAgency(dto.toAgency, 'toAgency');
    this.check(row, 'reason', (task) =>
      reassignTaskRefusal(task, { requestedBy: actor.agency, toAgency, reason: dto.reason }),
    );
    const status = await this.commands.send(row.pathwayId, 'reason', (h) =>
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
      }),
    );
    return this.view(status, id);
  }

  async extend(id: string, dto: ExtendTaskDto, actor: Actor): Promise<TaskCommandView> {
    const row = await this.find(id);
    const { dueAt, reason } = dto;
    this.check(row, 'dueAt', (task) =>
      extendTaskRefusal(task, { requestedBy: actor.agency, dueAt, reason }, new Date()),
    );
    const status = await this.commands.send(row.pathwayId, 'dueAt', (h) =>
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
      }),
    );
    return this.view(status, id);
  }

  async cancel(id: string, dto: ReasonDto, actor: Actor): Promise<TaskCommandView> {
    const row = await this.find(id);
    this.check(row, 'reason', (task) => cancelTaskRefusal(task, { requestedBy: actor.agency, reason: dto.reason }));
    const status = await this.commands.send(row.pathwayId, 'reason', (h) =>
      h.executeUpdate(cancelTaskUpdate, {
        args: [{ taskId: id, requestedBy: actor.agency, requestedByRoles: actor.roles, reason: dto.reason.trim() }],
      }),
    );
    return this.view(status, id);
  }
}

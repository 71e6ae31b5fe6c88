// Task commands go through the pathway workflow (Temporal Updates) whose validators refuse what does not fit
// before it reaches history; the read model is written before the update returns. Reading a task's person is
// need-to-know and audited.
import { ForbiddenException, Injectable } from '@nestjs/common';
import {
  LEGAL_BASIS_SHARING,
  OVERSIGHT_AGENCIES,
  cancelTaskRefusal,
  claimTaskRefusal,
  completeTaskRefusal,
  extendTaskRefusal,
  isUuid,
  publicTask,
  reassignTaskRefusal,
  seesContext,
  taskFacts,
  unclaimTaskRefusal,
  type PathwayStatus,
  type Refusal,
  type TaskFacts,
} from '../../../../libs/domain/src';
import {
  cancelTaskUpdate,
  claimTaskUpdate,
  completeTaskUpdate,
  extendTaskUpdate,
  reassignTaskUpdate,
  unclaimTaskUpdate,
} from '../../../../workflows/pathway/messages';
import { AuditRepository, ReadRepository, toTask, type TaskEntity } from '../../../../libs/persistence/src';
import { WorkflowCommands, refusalToHttp } from '../core/workflow-commands';
import { UUID_SHAPE, badRequest, notFound } from '../core/validation';
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
    private readonly audit: AuditRepository,
    private readonly commands: WorkflowCommands,
  ) {}

  async find(id: string): Promise<TaskEntity> {
    const row = isUuid(id) ? await this.read.findTask(id) : null;
    if (!row) throw notFound('task', id, UUID_SHAPE);
    return row;
  }

  /**
   * The command's refusal against the read model, before Temporal is contacted: the same pure function the
   * workflow's validator runs against its own state (libs/domain/src/pathway/refusals.ts). The read model may lag
   * the workflow by a moment; the validator has the last word.
   */
  private check(row: TaskEntity, inputField: string, refuse: (task: TaskFacts) => Refusal | undefined): void {
    const refusal = refuse(taskFacts(toTask(row)));
    if (refusal) throw refusalToHttp(refusal, inputField);
  }

  private view(status: PathwayStatus, id: string): TaskCommandView {
    return { task: publicTask(status.tasks.find((t) => t.id === id)!), pathwayStage: status.stage };
  }

  async detail(id: string, agencyHeader: string | undefined): Promise<TaskDetailView> {
    if (agencyHeader === undefined) throw badRequest([{ field: 'X-Agency', reason: 'is required to read a task' }]);
    const actor = await this.commands.actingAgency(agencyHeader, '');
    const row = await this.find(id);
    if (actor !== row.agency && !OVERSIGHT_AGENCIES.includes(actor)) {
      throw new ForbiddenException(`the task belongs to ${row.agency}`);
    }
    const [person, pathway] = await Promise.all([
      this.read.findPerson(row.pathwayId),
      this.read.findPathway(row.pathwayId),
    ]);
    await this.audit.record({
      actor,
      action: 'READ_TASK_PERSON',
      pathwayId: row.pathwayId,
      taskId: row.id,
      legalBasis: LEGAL_BASIS_SHARING,
    });
    return {
      task: toTask(row),
      person: { name: person?.name ?? '', birthDate: person?.birthDate ?? '' },
      ...(seesContext(actor) && pathway && person
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

  async complete(id: string, dto: CompleteTaskDto, agencyHeader?: string): Promise<TaskCommandView> {
    const row = await this.find(id);
    const completedBy = await this.commands.actingAgency(agencyHeader, row.agency);
    this.check(row, 'outcome', (task) => completeTaskRefusal(task, { outcome: dto.outcome, completedBy }));
    const status = await this.commands.send(row.pathwayId, 'outcome', (h) =>
      h.executeUpdate(completeTaskUpdate, { args: [{ taskId: id, outcome: dto.outcome.trim(), completedBy }] }),
    );
    return this.view(status, id);
  }

  async claim(id: string, dto: ClaimTaskDto, agencyHeader?: string): Promise<TaskCommandView> {
    const row = await this.find(id);
    const requestedBy = await this.commands.actingAgency(agencyHeader, row.agency);
    this.check(row, 'assignee', (task) => claimTaskRefusal(task, { requestedBy, assignee: dto.assignee }));
    const status = await this.commands.send(row.pathwayId, 'assignee', (h) =>
      h.executeUpdate(claimTaskUpdate, { args: [{ taskId: id, requestedBy, assignee: dto.assignee.trim() }] }),
    );
    return this.view(status, id);
  }

  async unclaim(id: string, agencyHeader?: string): Promise<TaskCommandView> {
    const row = await this.find(id);
    const requestedBy = await this.commands.actingAgency(agencyHeader, row.agency);
    this.check(row, 'id', (task) => unclaimTaskRefusal(task, { requestedBy }));
    const status = await this.commands.send(row.pathwayId, 'id', (h) =>
      h.executeUpdate(unclaimTaskUpdate, { args: [{ taskId: id, requestedBy }] }),
    );
    return this.view(status, id);
  }

  async reassign(id: string, dto: ReassignTaskDto, agencyHeader?: string): Promise<TaskCommandView> {
    const row = await this.find(id);
    const requestedBy = await this.commands.actingAgency(agencyHeader, 'OPERATIVE_GROUP');
    const toAgency = await this.commands.existingAgency(dto.toAgency, 'toAgency');
    this.check(row, 'reason', (task) => reassignTaskRefusal(task, { requestedBy, toAgency, reason: dto.reason }));
    const status = await this.commands.send(row.pathwayId, 'reason', (h) =>
      h.executeUpdate(reassignTaskUpdate, { args: [{ taskId: id, requestedBy, toAgency, reason: dto.reason.trim() }] }),
    );
    return this.view(status, id);
  }

  async extend(id: string, dto: ExtendTaskDto, agencyHeader?: string): Promise<TaskCommandView> {
    const row = await this.find(id);
    const requestedBy = await this.commands.actingAgency(agencyHeader, 'OPERATIVE_GROUP');
    const { dueAt, reason } = dto;
    this.check(row, 'dueAt', (task) => extendTaskRefusal(task, { requestedBy, dueAt, reason }, new Date()));
    const status = await this.commands.send(row.pathwayId, 'dueAt', (h) =>
      h.executeUpdate(extendTaskUpdate, {
        args: [{ taskId: id, requestedBy, dueAt: dto.dueAt, reason: dto.reason.trim() }],
      }),
    );
    return this.view(status, id);
  }

  async cancel(id: string, dto: ReasonDto, agencyHeader?: string): Promise<TaskCommandView> {
    const row = await this.find(id);
    const requestedBy = await this.commands.actingAgency(agencyHeader, 'OPERATIVE_GROUP');
    this.check(row, 'reason', (task) => cancelTaskRefusal(task, { requestedBy, reason: dto.reason }));
    const status = await this.commands.send(row.pathwayId, 'reason', (h) =>
      h.executeUpdate(cancelTaskUpdate, { args: [{ taskId: id, requestedBy, reason: dto.reason.trim() }] }),
    );
    return this.view(status, id);
  }
}

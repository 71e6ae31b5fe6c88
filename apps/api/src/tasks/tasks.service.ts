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
  holdTaskRefusal,
  isUuid,
  oversees,
  publicTask,
  reassignTaskRefusal,
  resumeTaskRefusal,
  seesContext,
  taskFacts,
  unclaimTaskRefusal,
  type Actor,
  type PathwayStatus,
  type Refusal,
  type TaskFacts,
  type Task,
} from '../../../../libs/domain/src';
import {
  PlaybookRepository,
  ReadRepository,
  TaskNoteRepository,
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
  holdTaskUpdate,
  reassignTaskUpdate,
  resumeTaskUpdate,
  unclaimTaskUpdate,
} from '../../../../workflows/pathway/messages';
import { DEFAULT_PERSON_VISIBLE_DAYS_AFTER_TASK, type ApiConfig } from '../config';
import { authorize, ownAssignee } from '../core/actor';
import { Assignees } from '../core/assignees';
import { AuditTrail } from '../core/audit-trail';
import { API_CONFIG } from '../core/tokens';
import { WorkflowCommands, actorOf, refusalToHttp } from '../core/workflow-commands';
import { UUID_SHAPE, badRequest, notFound } from '../core/validation';
import { createHash, randomUUID } from 'node:crypto';
import type {
  AssignTaskDto,
  ClaimTaskDto,
  CompleteTaskDto,
  AddTaskNoteDto,
  ExtendTaskDto,
  HoldTaskDto,
  ReasonDto,
  ReassignTaskDto,
  TaskCommandView,
  TaskDetailView,
  TaskHistoryView,
  TaskNoteView,
  TaskNotesView,
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
    private readonly playbooks: PlaybookRepository,
    private readonly notes: TaskNoteRepository,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  /** What the pathway's pinned playbook tells the agency to do for a task of this type (Danish), if anything. */
  private async instructions(pathwayId: string, type: string): Promise<{ instructions?: string }> {
    const pathway = await this.read.findPathway(pathwayId);
    const text = pathway ? await this.playbooks.instructions(pathway.playbookVersion, type) : null;
    return text?.trim() ? { instructions: text } : {};
  }

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
    const task = ownNotes(publicTask(found), actor, found.note, found.hold?.note);
    return { task: await this.assignees.task(actor, task), pathwayStage: status.stage };
  }

  /** The task as the reader sees it: the outcome and hold notes only for the agency that wrote them. */
  private readable(row: TaskEntity, actor: Actor) {
    return ownNotes(toTask(row), actor, row.note ?? undefined, row.holdNote ?? undefined);
  }

  async detail(id: string, named: Actor | undefined): Promise<TaskDetailView> {
    const row = await this.find(id);
    const actor = authorize('task.read', named, row.agency);
    const task = await this.assignees.task(actor, this.readable(row, actor));
    // The playbook's words for the task type: the same for everyone who may read the task, external partners too.
    const instructions = await this.instructions(row.pathwayId, row.type);
    // An external partner works the task and never receives the person (libs/domain/src/roles.ts).
    if (actor.agencyKind === 'EXTERNAL') return { task, ...instructions };
    // Need to know ends with the work: the task's own agency sees the person while the task is open and for a while
    // after it ended, then the task alone. The coordinators and the operative group see every pathway whole.
    const days = this.config.personVisibleDaysAfterTask ?? DEFAULT_PERSON_VISIBLE_DAYS_AFTER_TASK;
    const [person, pathway] = await Promise.all([
      oversees(actor) ? this.read.findPerson(row.pathwayId) : this.read.personThroughTask(row.id, days),
      this.read.findPathway(row.pathwayId),
    ]);
    if (!person) return { task, ...instructions };
    await this.trail.pathway(actor, 'READ_TASK_PERSON', row.pathwayId, row.id);
    return {
      task,
      ...instructions,
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

  /**
   * On hold until a day, with a coded reason (issue 10, item 8): the task's own agency only. Refused with 400 for a
   * date not after today or too far ahead, 409 for a task done, cancelled or waiting for a handover acknowledgement.
   */
  async hold(
    id: string,
    dto: HoldTaskDto,
    key: string | undefined,
    named: Actor | undefined,
  ): Promise<TaskCommandView> {
    const row = await this.find(id);
    const actor = authorize('task.hold', named, row.agency);
    const note = dto.note?.trim();
    return this.command(
      row,
      key,
      { command: 'hold', actor, dto },
      () =>
        this.check(row, 'until', (task) =>
          holdTaskRefusal(
            task,
            { requestedBy: actor.agency, until: dto.until, reason: dto.reason, ...(note ? { note } : {}) },
            new Date(),
          ),
        ),
      (updateId) =>
        this.commands.send(row.pathwayId, 'until', (h) =>
          h.executeUpdate(holdTaskUpdate, {
            args: [
              {
                taskId: id,
                requestedBy: actor.agency,
                requestedByRoles: actor.roles,
                until: dto.until,
                reason: dto.reason,
                ...(note ? { note } : {}),
              },
            ],
            ...(updateId ? { updateId } : {}),
          }),
        ),
    );
  }

  /** Back in the queue now, its deadline moved by the time it was held: 409 unless it is on hold. */
  async resume(id: string, key: string | undefined, named: Actor | undefined): Promise<TaskCommandView> {
    const row = await this.find(id);
    const actor = authorize('task.resume', named, row.agency);
    return this.command(
      row,
      key,
      { command: 'resume', actor },
      () => this.check(row, 'id', (task) => resumeTaskRefusal(task, { requestedBy: actor.agency })),
      (updateId) =>
        this.commands.send(row.pathwayId, 'id', (h) =>
          h.executeUpdate(resumeTaskUpdate, {
            args: [{ taskId: id, requestedBy: actor.agency, requestedByRoles: actor.roles }],
            ...(updateId ? { updateId } : {}),
          }),
        ),
    );
  }

  /** The agency's own working notes on its task, oldest first (audited: they are about the person). */
  async listNotes(id: string, named: Actor | undefined): Promise<TaskNotesView> {
    const row = await this.find(id);
    const actor = authorize('task.notes', named, row.agency);
    const items = await this.notes.ofTask(row.id, actor.agency);
    await this.trail.pathway(actor, 'READ_TASK_NOTES', row.pathwayId, row.id, { itemCount: items.length });
    return { items: items.map(noteView) };
  }

  /**
   * A working note, written once per Idempotency-Key (the same key with another body is a 409, as for every command);
   * audited. Notes stay in PostgreSQL: no rule reads them, so they never enter the workflow's history.
   */
  async addNote(
    id: string,
    dto: AddTaskNoteDto,
    key: string | undefined,
    named: Actor | undefined,
  ): Promise<TaskNoteView> {
    const row = await this.find(id);
    const actor = authorize('task.notes', named, row.agency);
    return this.commands.once(
      { pathwayId: row.pathwayId, key, request: { command: 'note', actor: actorOf(actor), task: row.id, dto } },
      {
        check: () => undefined,
        run: async (updateId) => {
          const note = await this.notes.add({
            id: updateId ? noteIdFrom(updateId) : randomUUID(),
            taskId: row.id,
            pathwayId: row.pathwayId,
            agency: actor.agency,
            authorUserId: actor.userId,
            body: dto.body.trim(),
          });
          await this.trail.pathway(actor, 'WRITE_TASK_NOTE', row.pathwayId, row.id);
          return noteView(note);
        },
      },
    );
  }

  /**
   * The task's own history from the read model's timeline: created, claimed, held and resumed, handed over,
   * acknowledged, completed with its outcome. User ids only for the task's own agency; reasons in words only for
   * the coordinators and the operative group (a cancel's words can reveal investigation context).
   */
  async history(id: string, named: Actor | undefined): Promise<TaskHistoryView> {
    const row = await this.find(id);
    const actor = authorize('task.history', named, row.agency);
    const entries = this.assignees.timeline(actor, await this.tasks.history(row.id), [
      { id: row.id, agency: row.agency },
    ]);
    // On the task's pathway, as a read of the task: the access report of the person finds it.
    await this.trail.pathway(actor, 'READ_TASK_HISTORY', row.pathwayId, row.id, { itemCount: entries.length });
    const typed = oversees(actor);
    return {
      items: entries.map((e) => ({
        at: e.at,
        kind: e.kind,
        ...(e.agency ? { agency: e.agency } : {}),
        detail: typed
          ? e.detail
          : Object.fromEntries(Object.entries(e.detail).filter(([k]) => !TYPED_DETAIL_KEYS.includes(k))),
      })),
    };
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

/** The task's notes (on its outcome, on its hold) for its own agency, which wrote them; nobody else sees them. */
function ownNotes(task: Task, actor: Actor, note: string | undefined, holdNote: string | undefined): Task {
  if (actor.agency !== task.agency) return task;
  return {
    ...task,
    ...(note ? { note } : {}),
    ...(task.hold && holdNote ? { hold: { ...task.hold, note: holdNote } } : {}),
  };
}

/** Detail keys that hold words someone typed (an operative group's reason, a decision's note): overseers only. */
const TYPED_DETAIL_KEYS = ['reason', 'note'];

/** A note's id under an Idempotency-Key: derived from the Update-style id, so a retry writes the same row once. */
function noteIdFrom(updateId: string): string {
  const hex = createHash('sha256').update(updateId).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function noteView(note: {
  id: string;
  agency: string;
  authorUserId: string;
  authorName?: string;
  body: string;
  createdAt: string;
}): TaskNoteView {
  return {
    id: note.id,
    agency: note.agency,
    authorUserId: note.authorUserId,
    ...(note.authorName ? { authorName: note.authorName } : {}),
    body: note.body,
    createdAt: note.createdAt,
  };
}

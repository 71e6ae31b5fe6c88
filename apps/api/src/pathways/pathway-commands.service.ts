// What coordinators tell a running pathway: events that happened to the person, and a move to a newer playbook.
// Both are Temporal Updates whose validators re-check everything against the workflow's own state before anything
// reaches history; the checks here answer early from the read model and never contact Temporal for bad input.
import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import {
  addSuggestedTaskRefusal,
  addTaskRefusal,
  suggestedTasks,
  OPEN_TASK_STATUSES,
  type TaskStatus,
  eventTypeRefusal,
  publicTask,
  ageOn,
  decideClosureRefusal,
  correctPersonRefusal,
  migratePlaybookRefusal,
  pendingClosureFrom,
  recordEventRefusal,
  reopenDeadline,
  reopenRefusal,
  type Actor,
  type EventData,
  type PlannedTask,
  type Stage,
  type TaskCondition,
  type Track,
} from '../../../../libs/domain/src';
import { PlaybookRepository, ReadRepository, TaskRepository } from '../../../../libs/persistence/src';
import {
  addSuggestedTaskUpdate,
  addTaskUpdate,
  correctPersonUpdate,
  decideClosureUpdate,
  migratePlaybookUpdate,
  previewEventQuery,
  recordEventUpdate,
  reopenPathwayUpdate,
} from '../../../../workflows/pathway/messages';
import type { AddSuggestedTaskDto, AddTaskDto, SuggestedTasksView, TaskCommandView } from '../tasks/task.dto';
import { AuditTrail } from '../core/audit-trail';
import { ReferenceData } from '../core/reference-data';
import { WorkflowCommands, actorOf, refusalToHttp } from '../core/workflow-commands';
import type {
  CorrectPersonDto,
  EventPreviewView,
  MigratePlaybookDto,
  PathwayView,
  ReasonDto,
  RecordEventDto,
} from './pathway.dto';
import { PathwaysService } from './pathways.service';

@Injectable()
export class PathwayCommandsService {
  constructor(
    private readonly commands: WorkflowCommands,
    private readonly playbooks: PlaybookRepository,
    private readonly pathways: PathwaysService,
    private readonly read: ReadRepository,
    private readonly tasks: TaskRepository,
    private readonly trail: AuditTrail,
    private readonly reference: ReferenceData,
  ) {}

  /**
   * A coordinator corrects the person's name or birth date (issue 10, item 7). The workflow re-plans the work that
   * hangs on the age (PathwayMachine.correctPerson) and its projection updates the person's row and search index.
   * Audited with the fields corrected and the reason (the request's one row; a repeat under its Idempotency-Key gets
   * the AuditInterceptor's CORRECT_PERSON row); the timeline says only which fields changed.
   */
  async correctPerson(id: string, dto: CorrectPersonDto, key: string | undefined, actor: Actor): Promise<PathwayView> {
    const pathway = await this.pathways.find(id);
    return this.commands.once(
      { pathwayId: id, key, request: { command: 'correct-person', actor: actorOf(actor), dto } },
      {
        check: async () => {
          const person = await this.read.findPerson(id);
          const refusal = correctPersonRefusal(
            {
              stage: pathway.stage as Stage,
              person: { name: person?.name ?? '', birthDate: person?.birthDate ?? '' },
            },
            dto,
            new Date(),
          );
          if (refusal) throw refusalToHttp(refusal, 'reason');
        },
        run: async (updateId) => {
          const command = {
            ...(dto.name !== undefined ? { name: dto.name.trim() } : {}),
            ...(dto.birthDate !== undefined ? { birthDate: dto.birthDate } : {}),
            reason: dto.reason.trim(),
            requestedBy: actor.agency,
            requestedByUser: actor.userId,
            requestedByRoles: actor.roles,
          };
          await this.commands.send(id, 'reason', (handle) =>
            handle.executeUpdate(correctPersonUpdate, { args: [command], ...(updateId ? { updateId } : {}) }),
          );
          await this.trail.pathway(actor, 'CORRECT_PERSON', id, undefined, {
            detail: {
              fields: [dto.name !== undefined ? 'name' : '', dto.birthDate !== undefined ? 'birthDate' : '']
                .filter(Boolean)
                .join(','),
              reason: command.reason,
            },
          });
          return this.pathways.viewFor(id, actor);
        },
      },
    );
  }

  /**
   * What recording the event would do (the workflow's previewEvent query: the machine works it out on a copy), after
   * the same checks as recording it; changes nothing. Only tasks' agencies, titles and deadlines, and stages.
   */
  async previewEvent(id: string, dto: RecordEventDto, actor: Actor): Promise<EventPreviewView> {
    const forbidden = eventTypeRefusal(dto.type, actor.roles);
    if (forbidden) throw new ForbiddenException(forbidden);
    const pathway = await this.pathways.find(id);
    await this.checkEvent(id, pathway, dto);
    const event = {
      occurredAt: dto.occurredAt,
      recordedBy: actor.agency,
      recordedByRoles: actor.roles,
      recordedByUser: actor.userId,
      data: { ...dto.data, type: dto.type } as EventData,
    };
    const preview = await this.commands.send(id, 'data', (handle) => handle.query(previewEventQuery, event));
    if (preview.refusal) throw refusalToHttp(preview.refusal, 'data');
    return {
      stageBefore: preview.stageBefore,
      stageAfter: preview.stageAfter,
      created: preview.created.map((t) => ({
        agency: t.agency,
        type: t.type,
        title: t.title,
        dueAt: t.dueAt,
        ...(t.compressed ? { compressed: true } : {}),
      })),
      ended: preview.ended.map((t) => ({ agency: t.agency, title: t.title, status: t.status })),
    };
  }

  /** The read model's answer to an event before the workflow's validator (which has the last word). */
  private async checkEvent(
    id: string,
    pathway: { stage: string; expectedReleaseAt: unknown; consent: boolean },
    dto: RecordEventDto,
  ): Promise<void> {
    // The workflow's validator gives the same refusal (bad data, a release date long past, an event the stage
    // does not take, a fact given twice); the read model may lag the workflow by a moment, so the validator
    // has the last word. The person's age only where a rule needs it: Exit tracks are refused under 18.
    const birthDate = dto.type === 'ASSESSED' ? (await this.read.findPerson(id))?.birthDate : undefined;
    // A closure already waiting for its second coordinator: another CLOSED is refused (four eyes).
    const pendingClosure = dto.type === 'CLOSED' ? await this.pendingClosure(id) : undefined;
    const facts = {
      stage: pathway.stage as Stage,
      hasReleaseDate: pathway.expectedReleaseAt !== null,
      consent: pathway.consent,
      ...(birthDate ? { age: ageOn(birthDate, new Date()) } : {}),
      ...(pendingClosure ? { pendingClosure } : {}),
    };
    const refusal = recordEventRefusal(facts, dto.type, dto.data, new Date());
    if (refusal) throw refusalToHttp(refusal, 'data');
    // The workflow checks the district code's form; which districts are in use is the table's.
    if (dto.type === 'MOVED') await this.reference.checkDistrict(String(dto.data?.district), 'data.district');
  }

  async recordEvent(id: string, dto: RecordEventDto, key: string | undefined, actor: Actor): Promise<PathwayView> {
    // Who may record this type comes before whether the pathway takes it: a refused caller learns no stage.
    const forbidden = eventTypeRefusal(dto.type, actor.roles);
    if (forbidden) throw new ForbiddenException(forbidden);
    const pathway = await this.pathways.find(id);
    const recordedBy = actor.agency;
    const data = { ...dto.data, type: dto.type } as EventData;
    return this.commands.once(
      { pathwayId: id, key, request: { command: 'record-event', actor: actorOf(actor), dto } },
      {
        check: () => this.checkEvent(id, pathway, dto),
        run: async (updateId) => {
          await this.commands.send(id, 'data', (handle) =>
            handle.executeUpdate(recordEventUpdate, {
              args: [
                {
                  occurredAt: dto.occurredAt,
                  recordedBy,
                  recordedByRoles: actor.roles,
                  recordedByUser: actor.userId,
                  data,
                },
              ],
              ...(updateId ? { updateId } : {}),
            }),
          );
          return this.pathways.viewFor(id, actor);
        },
      },
    );
  }

  /**
   * An ad-hoc task for any agency, once per Idempotency-Key (a repeat gets the first answer, not a second task); the
   * answer is the new task (the last one the pathway created).
   */
  async addTask(id: string, dto: AddTaskDto, key: string | undefined, actor: Actor): Promise<TaskCommandView> {
    const pathway = await this.pathways.find(id);
    // An agency of the agencies table: external partners are not rows yet (libs/domain/src/agencies.ts), and a task
    // row must name one.
    const agency = await this.commands.existingAgency(dto.agency, 'agency');
    return this.commands.once(
      { pathwayId: id, key, request: { command: 'add-task', actor: actorOf(actor), dto } },
      {
        check: () => {
          const refusal = addTaskRefusal({ stage: pathway.stage as Stage }, { ...dto, agency }, new Date());
          if (refusal) throw refusalToHttp(refusal, 'title');
        },
        run: async (updateId) => {
          const status = await this.commands.send(id, 'title', (handle) =>
            handle.executeUpdate(addTaskUpdate, {
              args: [
                {
                  agency,
                  title: dto.title.trim(),
                  dueAt: dto.dueAt,
                  requestedBy: actor.agency,
                  requestedByRoles: actor.roles,
                },
              ],
              ...(updateId ? { updateId } : {}),
            }),
          );
          return { task: publicTask(status.tasks.at(-1)!), pathwayStage: status.stage };
        },
      },
    );
  }

  /**
   * The playbook's optional steps for the pathway's stage that fit the person now (suggestedTasks in
   * libs/domain/src/playbook.ts, which the workflow's validator runs too), from the read model. Audited: which steps
   * fit says something about the person (age, custody).
   */
  async suggestions(id: string, actor: Actor): Promise<SuggestedTasksView> {
    const { stage, when, planned } = await this.suggestedPlans(id);
    await this.trail.pathway(actor, 'READ_SUGGESTED_TASKS', id);
    return {
      suggestions: planned.map((p) => ({
        key: p.key,
        stage,
        when: when.get(p.key) ?? {},
        agency: p.agency,
        type: p.type,
        title: p.title,
        dueAt: p.dueAt.toISOString(),
      })),
    };
  }

  private async suggestedKeys(id: string) {
    return (await this.suggestedPlans(id)).planned;
  }

  /** The suggestions planned now, with the stage and each one's playbook condition (why it is offered). */
  private async suggestedPlans(id: string) {
    const pathway = await this.pathways.find(id);
    const stage = pathway.stage as Stage;
    const none = { stage, when: new Map<string, TaskCondition>(), planned: [] as PlannedTask[] };
    if (stage === 'CLOSED') return none;
    const [playbook, person, tasks] = await Promise.all([
      this.playbooks.find(pathway.playbookVersion),
      this.read.findPerson(id),
      this.tasks.ofPathway(id),
    ]);
    if (!playbook || !person) return none;
    const now = new Date();
    const open = new Set(tasks.filter((t) => OPEN_TASK_STATUSES.includes(t.status as TaskStatus)).map((t) => t.key));
    const when = new Map(
      (playbook.definition.stages[stage]?.suggested ?? []).map((task) => [task.key, { ...task.when }]),
    );
    const planned = suggestedTasks(
      playbook.definition,
      stage,
      {
        now,
        age: ageOn(person.birthDate, now),
        ...(person.livesWithParents != null ? { livesWithParents: person.livesWithParents } : {}),
        ...(pathway.track ? { track: pathway.track as Track } : {}),
        ...(pathway.expectedReleaseAt ? { releaseAt: pathway.expectedReleaseAt } : {}),
      },
      open,
    );
    return { stage, when, planned };
  }

  /** Adds one of the suggested tasks, once per Idempotency-Key; the answer is the new task. */
  async addSuggestedTask(
    id: string,
    dto: AddSuggestedTaskDto,
    key: string | undefined,
    actor: Actor,
  ): Promise<TaskCommandView> {
    const pathway = await this.pathways.find(id);
    return this.commands.once(
      { pathwayId: id, key, request: { command: 'add-suggested-task', actor: actorOf(actor), dto } },
      {
        check: async () => {
          const suggested = (await this.suggestedKeys(id)).map((p) => p.key);
          const refusal = addSuggestedTaskRefusal({ stage: pathway.stage as Stage, suggested }, dto);
          if (refusal) throw refusalToHttp(refusal, 'key');
        },
        run: async (updateId) => {
          const status = await this.commands.send(id, 'key', (handle) =>
            handle.executeUpdate(addSuggestedTaskUpdate, {
              args: [{ key: dto.key, requestedBy: actor.agency, requestedByRoles: actor.roles }],
              ...(updateId ? { updateId } : {}),
            }),
          );
          return { task: publicTask(status.tasks.at(-1)!), pathwayStage: status.stage };
        },
      },
    );
  }

  private async pendingClosure(id: string) {
    return pendingClosureFrom(await this.read.timeline(id));
  }

  /**
   * A second coordinator confirms (closes) or rejects a pending closure, once per Idempotency-Key. Whether the
   * confirming coordinator is the one who asked is the workflow validator's to say (403): the read model does not keep
   * who asked.
   */
  async decideClosure(
    id: string,
    decision: 'CONFIRM' | 'REJECT',
    key: string | undefined,
    actor: Actor,
    dto?: ReasonDto,
  ): Promise<PathwayView> {
    const pathway = await this.pathways.find(id);
    const command = {
      decision,
      ...(dto ? { reason: dto.reason.trim() } : {}),
      requestedBy: actor.agency,
      requestedByUser: actor.userId,
      requestedByRoles: actor.roles,
    };
    return this.commands.once(
      { pathwayId: id, key, request: { command: 'decide-closure', actor: actorOf(actor), decision, dto } },
      {
        check: async () => {
          const facts = { stage: pathway.stage as Stage, pendingClosure: await this.pendingClosure(id) };
          const refusal = decideClosureRefusal(facts, command);
          if (refusal) throw refusalToHttp(refusal, 'reason');
        },
        run: async (updateId) => {
          await this.commands.send(id, 'reason', (handle) =>
            handle.executeUpdate(decideClosureUpdate, { args: [command], ...(updateId ? { updateId } : {}) }),
          );
          return this.pathways.viewFor(id, actor);
        },
      },
    );
  }

  /**
   * Reopening a closed pathway within 30 days of closing, once per Idempotency-Key: an Update to its workflow, which
   * waits that long.
   */
  async reopen(id: string, dto: ReasonDto, key: string | undefined, actor: Actor): Promise<PathwayView> {
    const pathway = await this.pathways.find(id);
    const command = {
      reason: dto.reason.trim(),
      requestedBy: actor.agency,
      requestedByUser: actor.userId,
      requestedByRoles: actor.roles,
    };
    return this.commands.once(
      { pathwayId: id, key, request: { command: 'reopen', actor: actorOf(actor), dto } },
      {
        check: () => {
          const closedAt = pathway.closedAt?.toISOString();
          const facts = {
            stage: pathway.stage as Stage,
            ...(closedAt ? { closedAt, reopenableUntil: reopenDeadline(closedAt) } : {}),
          };
          const refusal = reopenRefusal(facts, dto, new Date());
          if (refusal) throw refusalToHttp(refusal, 'reason');
        },
        run: async (updateId) => {
          await this.commands.send(id, 'reason', (handle) =>
            handle.executeUpdate(reopenPathwayUpdate, { args: [command], ...(updateId ? { updateId } : {}) }),
          );
          return this.pathways.viewFor(id, actor);
        },
      },
    );
  }

  async migratePlaybook(
    id: string,
    dto: MigratePlaybookDto,
    key: string | undefined,
    actor: Actor,
  ): Promise<PathwayView> {
    const pathway = await this.pathways.find(id);
    const stored = await this.playbooks.find(dto.version);
    if (!stored) throw new NotFoundException(`no playbook version ${dto.version}`);
    return this.commands.once(
      { pathwayId: id, key, request: { command: 'migrate-playbook', actor: actorOf(actor), dto } },
      {
        check: () => {
          // Against the read model first; the workflow's validator, which knows the version it runs, has the last
          // word.
          const refusal = migratePlaybookRefusal(
            { stage: pathway.stage as Stage, playbookVersion: pathway.playbookVersion },
            { playbook: stored.definition, reason: dto.reason },
          );
          if (refusal) throw refusalToHttp(refusal, 'reason');
        },
        run: async (updateId) => {
          await this.commands.send(id, 'reason', (handle) =>
            handle.executeUpdate(migratePlaybookUpdate, {
              args: [
                {
                  playbook: stored.definition,
                  reason: dto.reason.trim(),
                  requestedBy: actor.agency,
                  requestedByRoles: actor.roles,
                },
              ],
              ...(updateId ? { updateId } : {}),
            }),
          );
          return this.pathways.viewFor(id, actor);
        },
      },
    );
  }
}

// An agency's work: its queue (most urgent first) and "give me the next task", which claims the most urgent
// unclaimed task for the caller and never hands the same task to two callers.
import { ConflictException, Injectable } from '@nestjs/common';
import { AGENCY_CODE_PATTERN, LEGAL_BASIS_SHARING, publicTask, type Actor } from '../../../../libs/domain/src';
import { claimTaskUpdate } from '../../../../workflows/pathway/messages';
import {
  AuditRepository,
  QueueRepository,
  ReadRepository,
  decodeUrgencyCursor,
} from '../../../../libs/persistence/src';
import type { Answer } from '../core/respond';
import { authorize } from '../core/actor';
import { WorkflowCommands } from '../core/workflow-commands';
import { badRequest, notFound } from '../core/validation';
import type { TaskCommandView } from '../tasks/task.dto';
import type { AgencyView, NextTaskDto, QueueQueryDto, TaskPageView } from './agency.dto';

/** How many reserved candidates a `next` call tries before saying the queue has nothing for it. */
const NEXT_ATTEMPTS = 5;

@Injectable()
export class AgenciesService {
  constructor(
    private readonly read: ReadRepository,
    private readonly queue: QueueRepository,
    private readonly commands: WorkflowCommands,
    private readonly audit: AuditRepository,
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

  async tasks(code: string, query: QueueQueryDto, actor: Actor | undefined): Promise<TaskPageView> {
    const agency = await this.agency(code);
    const after = query.cursor === undefined ? undefined : decodeUrgencyCursor(query.cursor);
    if (query.cursor !== undefined && !after) {
      throw badRequest([{ field: 'cursor', reason: 'is not a cursor this API handed out' }]);
    }
    const filter = { status: query.status, overdue: query.overdue, assignee: query.assignee };
    const page = await this.queue.page(agency, filter, query.limit ?? 50, after);
    return { ...page, items: await this.withNames(page.items, actor) };
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
    await this.audit.recordEach(
      { actor: actor.agency, actorUserId: actor.userId, action: 'READ_QUEUE_PERSON', legalBasis: LEGAL_BASIS_SHARING },
      [...names.keys()],
    );
    return items.map((t) => (names.has(t.pathwayId) ? { ...t, personName: names.get(t.pathwayId) } : t));
  }

  /** 204 when the agency has no unclaimed work left. */
  async next(code: string, dto: NextTaskDto, named: Actor | undefined): Promise<Answer<TaskCommandView>> {
    const agency = await this.agency(code);
    const requestedBy = authorize('queue.take', named, agency).agency;
    const tried: string[] = [];
    for (let attempt = 0; attempt < NEXT_ATTEMPTS; attempt++) {
      const candidate = await this.queue.reserveNext(agency, dto.assignee, tried);
      if (!candidate) return { status: 204 };
      tried.push(candidate.id);
      try {
        const status = await this.commands.send(candidate.pathwayId, 'assignee', (h) =>
          h.executeUpdate(claimTaskUpdate, {
            args: [{ taskId: candidate.id, requestedBy, assignee: dto.assignee.trim() }],
          }),
        );
        await this.queue.release(candidate.id);
        const task = publicTask(status.tasks.find((t) => t.id === candidate.id)!);
        return { status: 200, body: { task, pathwayStage: status.stage } };
      } catch (err) {
        // Claimed or closed meanwhile through another door: release it and take the next one.
        await this.queue.release(candidate.id);
        if (!(err instanceof ConflictException)) throw err;
      }
    }
    return { status: 204 };
  }
}

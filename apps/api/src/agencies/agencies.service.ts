// An agency's work: its queue (most urgent first) and "give me the next task", which claims the most urgent
// unclaimed task for the caller and never hands the same task to two callers.
import { ConflictException, Injectable } from '@nestjs/common';
import { AGENCY_CODE_PATTERN, publicTask, type Actor } from '../../../../libs/domain/src';
import { claimTaskUpdate } from '../../../../workflows/pathway/messages';
import { QueueRepository, ReadRepository, decodeUrgencyCursor } from '../../../../libs/persistence/src';
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

  async tasks(code: string, query: QueueQueryDto): Promise<TaskPageView> {
    const agency = await this.agency(code);
    const after = query.cursor === undefined ? undefined : decodeUrgencyCursor(query.cursor);
    if (query.cursor !== undefined && !after) {
      throw badRequest([{ field: 'cursor', reason: 'is not a cursor this API handed out' }]);
    }
    const filter = { status: query.status, overdue: query.overdue, assignee: query.assignee };
    return this.queue.page(agency, filter, query.limit ?? 50, after);
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

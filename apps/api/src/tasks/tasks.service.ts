// Task commands go through the pathway workflow (a Temporal Update), which validates them before they reach
// history; the read model is written before the update returns.
import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { ApplicationFailure, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { FailureType, completeTaskUpdate, isUuid, pathwayWorkflowId } from '../../../../libs/domain/src';
import { ReadRepository } from '../../../../libs/persistence/src';
import { TEMPORAL_CLIENT } from '../core/tokens';
import { badRequest } from '../core/validation';
import type { CompleteTaskDto, TaskCompletedView } from './task.dto';

@Injectable()
export class TasksService {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    private readonly read: ReadRepository,
  ) {}

  async complete(id: string, dto: CompleteTaskDto): Promise<TaskCompletedView> {
    const row = isUuid(id) ? await this.read.findTask(id) : null;
    if (!row) throw new NotFoundException(`no task with id '${id}'`);
    if (row.status === 'DONE' || row.status === 'CANCELLED') {
      throw new ConflictException(`task is already ${row.status} and cannot be completed`);
    }
    const handle = this.temporal.workflow.getHandle(pathwayWorkflowId(row.pathwayId));
    try {
      const status = await handle.executeUpdate(completeTaskUpdate, {
        args: [{ taskId: id, outcome: dto.outcome.trim(), completedBy: row.agency }],
      });
      const task = status.tasks.find((t) => t.id === id)!;
      return { task, pathwayStage: status.stage };
    } catch (err) {
      throw this.translate(err);
    }
  }

  /** Business rejections from the workflow become HTTP answers; anything else is an infrastructure fault. */
  private translate(err: unknown): unknown {
    if (err instanceof WorkflowNotFoundError) return new ConflictException('the pathway is no longer running');
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
      switch (err.cause.type) {
        case FailureType.TaskNotFound:
          return new NotFoundException('no such task on the pathway');
        case FailureType.TaskNotOpen:
          return new ConflictException(`${err.cause.message} and cannot be completed`);
        case FailureType.InvalidInput:
          return badRequest([{ field: 'outcome', reason: err.cause.message }]);
      }
    }
    return err;
  }
}

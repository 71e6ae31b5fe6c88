// The tasks of the read model as the API reads them, and the one mapping of a task row to the domain's Task (the
// shape every task answer of the API has: apps/api/src/tasks/task.dto.ts). The worker writes these rows
// (projection.repository.ts); agency queues are read through queue.repository.ts.
import type { DataSource } from 'typeorm';
import type { Task, TimelineEntry } from '../../domain/src';
import { TaskEntity, TimelineEntryEntity } from './entities';

export function toTask(row: TaskEntity): Task {
  return {
    id: row.id,
    pathwayId: row.pathwayId,
    key: row.key,
    stage: row.stage as Task['stage'],
    agency: row.agency,
    type: row.type,
    title: row.title,
    status: row.status as Task['status'],
    createdAt: row.createdAt.toISOString(),
    dueAt: row.dueAt.toISOString(),
    ...(row.assignee ? { assignee: row.assignee } : {}),
    ...(row.outcome ? { outcome: row.outcome } : {}),
    // The note is not here: it is the completing agency's alone (apps/api/src/tasks/tasks.service.ts adds it).
    ...(row.outcomes ? { outcomes: row.outcomes as Task['outcomes'] } : {}),
    ...(row.attempt ? { attempt: row.attempt } : {}),
    ...(row.completedAt ? { completedAt: row.completedAt.toISOString() } : {}),
    ...(row.completedBy ? { completedBy: row.completedBy } : {}),
    // The code, never the reason's words: those can reveal investigation context (the timeline keeps them).
    ...(row.cancelCode ? { cancelCode: row.cancelCode as Task['cancelCode'] } : {}),
    overdue: row.overdue,
    ...(row.compressed ? { compressed: true } : {}),
    escalationLevel: row.escalationLevel,
    ...(row.handoverTo
      ? { handover: { to: row.handoverTo, state: (row.handoverState ?? 'NOT_STARTED') as 'NOT_STARTED' } }
      : {}),
    ...(row.acknowledges ? { acknowledges: row.acknowledges } : {}),
    // The hold's note is not here either: it is the holding agency's alone (the API adds it).
    ...(row.heldUntil
      ? {
          hold: {
            until: row.heldUntil.toISOString(),
            reason: row.holdReason as NonNullable<Task['hold']>['reason'],
            since: (row.heldSince ?? row.heldUntil).toISOString(),
          },
        }
      : {}),
  };
}

export class TaskRepository {
  constructor(private readonly dataSource: DataSource) {}

  find(id: string): Promise<TaskEntity | null> {
    return this.dataSource.getRepository(TaskEntity).findOneBy({ id });
  }

  /** The pathway's timeline entries about this task, in order: the task's own history. */
  async history(taskId: string): Promise<TimelineEntry[]> {
    const rows = await this.dataSource
      .getRepository(TimelineEntryEntity)
      .find({ where: { taskId }, order: { sequence: 'ASC' } });
    return rows.map((row) => ({
      id: row.id,
      sequence: row.sequence,
      at: row.at.toISOString(),
      kind: row.kind as TimelineEntry['kind'],
      ...(row.agency ? { agency: row.agency } : {}),
      taskId,
      detail: row.detail,
    }));
  }

  /** A pathway's tasks in the order they were created. */
  async ofPathway(pathwayId: string): Promise<Task[]> {
    const rows = await this.dataSource
      .getRepository(TaskEntity)
      .find({ where: { pathwayId }, order: { createdAt: 'ASC', id: 'ASC' } });
    return rows.map(toTask);
  }
}

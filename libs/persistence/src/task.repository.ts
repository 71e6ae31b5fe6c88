// The tasks of the read model as the API reads them, and the one mapping of a task row to the domain's Task (the
// shape every task answer of the API has: apps/api/src/tasks/task.dto.ts). The worker writes these rows
// (projection.repository.ts); agency queues are read through queue.repository.ts.
import type { DataSource } from 'typeorm';
import type { Task } from '../../domain/src';
import { TaskEntity } from './entities';

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
    ...(row.completedAt ? { completedAt: row.completedAt.toISOString() } : {}),
    ...(row.completedBy ? { completedBy: row.completedBy } : {}),
    // The code, never the reason's words: those can reveal investigation context (the timeline keeps them).
    ...(row.cancelCode ? { cancelCode: row.cancelCode as Task['cancelCode'] } : {}),
    overdue: row.overdue,
    escalationLevel: row.escalationLevel,
    ...(row.handoverTo
      ? { handover: { to: row.handoverTo, state: (row.handoverState ?? 'NOT_STARTED') as 'NOT_STARTED' } }
      : {}),
    ...(row.acknowledges ? { acknowledges: row.acknowledges } : {}),
  };
}

export class TaskRepository {
  constructor(private readonly dataSource: DataSource) {}

  find(id: string): Promise<TaskEntity | null> {
    return this.dataSource.getRepository(TaskEntity).findOneBy({ id });
  }

  /** A pathway's tasks in the order they were created. */
  async ofPathway(pathwayId: string): Promise<Task[]> {
    const rows = await this.dataSource
      .getRepository(TaskEntity)
      .find({ where: { pathwayId }, order: { createdAt: 'ASC', id: 'ASC' } });
    return rows.map(toTask);
  }
}

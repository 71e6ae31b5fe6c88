// Every answer that carries tasks or a timeline passes through here: a task's assignee (a user id) and its display
// name go only to the task's own agency (libs/domain/src/assignees.ts); names come from the users table.
import { Injectable } from '@nestjs/common';
import { ownAssignees, tasksSeenBy, timelineSeenBy, type Actor } from '../../../../libs/domain/src';
import { UserRepository } from '../../../../libs/persistence/src';

@Injectable()
export class Assignees {
  constructor(private readonly users: UserRepository) {}

  async tasks<T extends { agency: string; assignee?: string }>(
    viewer: Actor,
    tasks: readonly T[],
  ): Promise<(T & { assigneeName?: string })[]> {
    const names = await this.users.namesIn(viewer.agency, ownAssignees(viewer.agency, tasks));
    return tasksSeenBy(viewer.agency, tasks, names);
  }

  async task<T extends { agency: string; assignee?: string }>(
    viewer: Actor,
    task: T,
  ): Promise<T & { assigneeName?: string }> {
    return (await this.tasks(viewer, [task]))[0];
  }

  timeline<E extends { agency?: string; taskId?: string; detail: Record<string, string> }>(
    viewer: Actor,
    entries: readonly E[],
    tasks: readonly { id: string; agency: string }[],
  ): E[] {
    const agencyOf = new Map(tasks.map((t) => [t.id, t.agency]));
    return timelineSeenBy(viewer.agency, entries, (id) => agencyOf.get(id));
  }
}

// Who works a task is a user id (the token's subject), and it is the agency's own business: the task's agency sees
// the assignee and the assignee's display name; everyone else (the coordinators and the operative group reading a
// pathway, for instance) sees only that the task is CLAIMED. The same goes for the user ids a timeline entry names.

/** The timeline detail keys that hold user ids (TASK_CLAIMED, TASK_UNCLAIMED, a team lead's assignment). */
export const ASSIGNEE_DETAIL_KEYS: readonly string[] = ['assignee', 'assignedBy', 'previousAssignee'];

/**
 * The tasks as a person of `viewerAgency` may see them: the assignee, with its display name where `names` knows it,
 * only on the viewer's own agency's tasks.
 */
export function tasksSeenBy<T extends { agency: string; assignee?: string }>(
  viewerAgency: string,
  tasks: readonly T[],
  names: ReadonlyMap<string, string>,
): (T & { assigneeName?: string })[] {
  return tasks.map((task) => {
    if (task.assignee === undefined) return task;
    if (task.agency !== viewerAgency) {
      const { assignee: _hidden, ...rest } = task;
      return rest as T;
    }
    const name = names.get(task.assignee);
    return name === undefined ? task : { ...task, assigneeName: name };
  });
}

/** The user ids of the viewer's own agency's assignees: whose names to look up. */
export function ownAssignees(viewerAgency: string, tasks: readonly { agency: string; assignee?: string }[]): string[] {
  return [...new Set(tasks.filter((t) => t.agency === viewerAgency && t.assignee).map((t) => t.assignee!))];
}

/**
 * Timeline entries as a person of `viewerAgency` may see them: user ids only where the entry was the viewer's agency's
 * and the task is too (`taskAgency`, the task's agency now).
 */
export function timelineSeenBy<E extends { agency?: string; taskId?: string; detail: Record<string, string> }>(
  viewerAgency: string,
  entries: readonly E[],
  taskAgency: (taskId: string) => string | undefined,
): E[] {
  return entries.map((entry) => {
    if (!ASSIGNEE_DETAIL_KEYS.some((key) => key in entry.detail)) return entry;
    const own =
      entry.agency === viewerAgency && entry.taskId !== undefined && taskAgency(entry.taskId) === viewerAgency;
    if (own) return entry;
    const detail = Object.fromEntries(
      Object.entries(entry.detail).filter(([key]) => !ASSIGNEE_DETAIL_KEYS.includes(key)),
    );
    return { ...entry, detail };
  });
}

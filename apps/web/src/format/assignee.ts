// Who works a task, as the API shows it: the name (and user id) only to the task's own agency; anyone else sees that
// it is claimed, never by whom (apps/api/src/core/assignees.ts).
export function assigneeLabel(
  task: { status: string; assignee?: string; assigneeName?: string },
  t: (key: string) => string,
): string {
  if (task.assigneeName) return task.assigneeName;
  if (task.assignee) return task.assignee;
  return task.status === 'CLAIMED' ? t('queue.assigned') : t('queue.unassigned');
}

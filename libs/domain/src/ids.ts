// Identifiers. Workflow ids carry no personal data: only the pathway's random UUID.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

export function pathwayWorkflowId(pathwayId: string): string {
  if (!isUuid(pathwayId)) throw new RangeError('pathway id must be a UUID');
  return `pathway-${pathwayId}`;
}

export function timelineEntryId(pathwayId: string, sequence: number): string {
  return `${pathwayId}:${sequence}`;
}

/** The retention workflow's type, and its schedule's id for a task queue (one schedule per deployment). */
export const RETENTION_WORKFLOW_TYPE = 'retentionWorkflow';

export function retentionScheduleId(taskQueue: string): string {
  return `retention-daily-${taskQueue}`;
}

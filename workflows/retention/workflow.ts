// The daily retention run (issue 13, item 4), started by a Temporal Schedule (apps/api/src/persons/retention-schedule.ts): opens a
// review for every closed pathway past its retention period, and erases the persons whose review ran out without a
// coordinator keeping them. Deterministic: the time is the workflow's, every read and write is an activity.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { dbWrite } from '../activity-options';

const { retentionSweep, eraseForRetention } = proxyActivities<Activities>(dbWrite);

export interface RetentionResult {
  reviewsOpened: number;
  erased: number;
}

export async function retentionWorkflow(): Promise<RetentionResult> {
  const { opened, expired } = await retentionSweep(new Date().toISOString());
  // One at a time: each is one transaction, and a day's handful needs no hurry.
  for (const pathwayId of expired) await eraseForRetention(pathwayId);
  return { reviewsOpened: opened.length, erased: expired.length };
}

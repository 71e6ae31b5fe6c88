// The escalation ladder of one task, as pure time arithmetic: reminders at shares of the time, overdue and
// level 1 (the operative group) at the deadline, level 2 (Sikker By) a set time past it. The workflow sleeps
// until the next of these and applies it.
import type { CalendarOptions } from './calendar';
import { dueFrom, type DueRule } from './playbook';

export const ESCALATION_TARGETS = { 1: 'OPERATIVE_GROUP', 2: 'SIKKER_BY' } as const;

export interface TaskClock {
  createdAt: string;
  dueAt: string;
  /** When the current deadline was set (creation, or the last extension): reminders count from here. */
  windowStart?: string;
  remindersSent: number;
  escalationLevel: number;
  reminderShares: number[];
  escalateAfter?: DueRule;
}

export type TaskTimer =
  { kind: 'REMINDER'; at: Date; index: number } | { kind: 'OVERDUE'; at: Date } | { kind: 'LEVEL2'; at: Date };

/** The next thing that happens to an open task if nobody acts, or undefined when nothing is left. */
export function nextTaskTimer(clock: TaskClock, calendar?: CalendarOptions): TaskTimer | undefined {
  const start = new Date(clock.windowStart ?? clock.createdAt).getTime();
  const due = new Date(clock.dueAt).getTime();
  const shares = [...clock.reminderShares].sort((a, b) => a - b);
  if (clock.escalationLevel === 0 && clock.remindersSent < shares.length) {
    const at = start + shares[clock.remindersSent] * (due - start);
    if (at < due) return { kind: 'REMINDER', at: new Date(at), index: clock.remindersSent };
  }
  if (clock.escalationLevel < 1) return { kind: 'OVERDUE', at: new Date(due) };
  if (clock.escalationLevel < 2 && clock.escalateAfter) {
    return { kind: 'LEVEL2', at: dueFrom(clock.escalateAfter, new Date(due), calendar) };
  }
  return undefined;
}

/** The reminder shares a playbook task gives (one number or a list), defaulting to 75 %. */
export function reminderShares(value: number | number[] | undefined): number[] {
  if (value === undefined) return [0.75];
  return Array.isArray(value) ? value : [value];
}

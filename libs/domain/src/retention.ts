// How long a closed pathway's person is kept before the retention review (issue 13, item 4). Pure: the retention
// workflow's activity applies it to the read model (activities/retention.activities.ts).
//
// The defaults are placeholders chosen when retention was built, not taken from the law or a decision of the
// partnership; the data controller sets the real periods with RETENTION_DAYS (README, "What is kept where and for
// how long"). They are at least 31 days, so a closed pathway can no longer be reopened (REOPEN_WITHIN_DAYS, 30)
// when its person comes up for review, and its workflow has finished.
import { ageOn } from './age';
import { CLOSING_OUTCOMES, type ClosingOutcome } from './events';
import { EXIT_TRACKS, type Track } from './pathway/vocabulary';

export interface RetentionPolicy {
  /** Days after closing for any outcome without its own period. */
  defaultDays: number;
  /** Days after closing per closing outcome. */
  byOutcome: Partial<Record<ClosingOutcome, number>>;
  /** Days after closing for a person under 18 at closing whose pathway was on no Exit track then (shorter). */
  childWithoutExitDays: number;
  /** Days the coordinators have to keep a person (with a reason) once the review is opened; then the key goes. */
  reviewDays: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = {
  defaultDays: 730,
  byOutcome: {},
  childWithoutExitDays: 365,
  reviewDays: 14,
};

export const MIN_RETENTION_DAYS = 31;

/** The facts the period depends on, as the read model has them at closing. */
export interface RetentionFacts {
  closingOutcome: string | null;
  track: string | null;
  birthDate: string | null;
  closedAt: Date;
}

/** Days after closing that this person is kept before the review; a child off the Exit tracks gets the shorter. */
export function retentionDays(policy: RetentionPolicy, facts: RetentionFacts): number {
  const outcomeDays =
    (facts.closingOutcome && policy.byOutcome[facts.closingOutcome as ClosingOutcome]) || policy.defaultDays;
  const child = facts.birthDate !== null && ageOn(facts.birthDate, facts.closedAt) < 18;
  const onExit = facts.track !== null && EXIT_TRACKS.includes(facts.track as Track);
  return child && !onExit ? Math.min(outcomeDays, policy.childWithoutExitDays) : outcomeDays;
}

/** When the person is due for review: closing + their period. */
export function reviewDueAt(policy: RetentionPolicy, facts: RetentionFacts): Date {
  return new Date(facts.closedAt.getTime() + retentionDays(policy, facts) * 86_400_000);
}

/**
 * Parses RETENTION_DAYS: `KEY:days[,KEY:days...]` with keys DEFAULT, CHILD_WITHOUT_EXIT, REVIEW or a closing
 * outcome (COMPLETED, DECLINED, …); unset keys keep their defaults. Periods are at least 31 days, the review 1–365.
 */
export function parseRetention(text: string | undefined): RetentionPolicy {
  const policy: RetentionPolicy = { ...DEFAULT_RETENTION, byOutcome: { ...DEFAULT_RETENTION.byOutcome } };
  for (const part of (text ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = /^([A-Z_]+):(\d{1,5})$/.exec(part);
    if (!match) throw new Error('RETENTION_DAYS: every entry must be KEY:days');
    const [, key, value] = match;
    const days = Number(value);
    if (key === 'REVIEW') {
      if (days < 1 || days > 365) throw new Error('RETENTION_DAYS: REVIEW must be 1-365 days');
      policy.reviewDays = days;
      continue;
    }
    if (days < MIN_RETENTION_DAYS)
      throw new Error(`RETENTION_DAYS: ${key} must be at least ${MIN_RETENTION_DAYS} days (reopening lasts 30)`);
    if (key === 'DEFAULT') policy.defaultDays = days;
    else if (key === 'CHILD_WITHOUT_EXIT') policy.childWithoutExitDays = days;
    else if ((CLOSING_OUTCOMES as readonly string[]).includes(key)) policy.byOutcome[key as ClosingOutcome] = days;
    else throw new Error(`RETENTION_DAYS: unknown key ${key}`);
  }
  return policy;
}

// The read-model batch: what the pathway hands the read model after each change. Built by the pathway machine
// (libs/domain/src/pathway/machine.ts), written by activities/pathway.activities.ts through
// libs/persistence/src/projection.repository.ts.
import type { ClosingOutcome } from '../events';
import type {
  Contact,
  District,
  Escalation,
  Notification,
  Person,
  Stage,
  Task,
  TimelineEntry,
  TimelineKind,
  Track,
} from './vocabulary';
import type { PathwayPriority, PendingClosure } from './commands';

export interface PathwayProjection {
  pathwayId: string;
  workflowId: string;
  /** The workflow's change counter at the time of this batch. */
  version: number;
  stage: Stage;
  track?: Track;
  district: District;
  playbookVersion: number;
  openedAt: string;
  stageEnteredAt: string;
  lastProgressAt: string;
  consent: boolean;
  motivated?: boolean;
  expectedReleaseAt?: string;
  closedAt?: string;
  closingOutcome?: ClosingOutcome;
  stalled: boolean;
  /**
   * The priority the operative group's meeting decided (absent: never decided, NORMAL). The read model keeps it on
   * the pathway and marks every task of the pathway with it (tasks.prioritized), which the queues sort on.
   */
  priority?: PathwayPriority;
  /** Only in the first batch: who the pathway is about and how it began. */
  person?: Person;
  contact?: Contact;
  /** The person as a coordinator corrected them (name, birth date), in the batch after the correction. */
  correctedPerson?: Person;
  /** Tasks that changed since the last batch, as they are now. */
  tasks: Task[];
  timeline: TimelineEntry[];
  /** Escalations raised or resolved since the last batch. */
  escalations: Escalation[];
  /** Messages for the agencies' webhooks, into the outbox in the same transaction. */
  notifications: Notification[];
}

/**
 * The closure waiting for a second coordinator, as the read model's timeline shows it: the last CLOSURE_REQUESTED not
 * followed by its confirmation, rejection or another close (the workflow's state.pendingClosure, without the user id,
 * which the timeline does not carry).
 */
export function pendingClosureFrom(
  timeline: readonly Pick<TimelineEntry, 'kind' | 'at' | 'agency' | 'detail'>[],
): Omit<PendingClosure, 'requestedByUser'> | undefined {
  const ends: readonly TimelineKind[] = ['CLOSURE_CONFIRMED', 'CLOSURE_REJECTED', 'PATHWAY_CLOSED', 'PATHWAY_REOPENED'];
  const last = [...timeline].reverse().find((e) => e.kind === 'CLOSURE_REQUESTED' || ends.includes(e.kind));
  if (last?.kind !== 'CLOSURE_REQUESTED') return undefined;
  return {
    outcome: last.detail.outcome as ClosingOutcome,
    requestedAt: last.at,
    requestedBy: last.agency ?? '',
    ...(last.detail.meetingId ? { meetingId: last.detail.meetingId } : {}),
  };
}

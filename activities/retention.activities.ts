// Side effects of the retention workflow (workflows/retention/workflow.ts): opening reviews for closed pathways past
// their period and erasing the persons whose review ran out. Both are idempotent: a retried activity opens no
// second review and erases nothing twice (libs/persistence/src/erasure.repository.ts).
import { LEGAL_BASES, type RetentionPolicy } from '../libs/domain/src';
import type { AuditRepository } from '../libs/persistence/src/audit.repository';
import type { ErasureRepository } from '../libs/persistence/src/erasure.repository';
import type { PersonKeys } from '../libs/persistence/src/person-keys';
import type { RetentionRepository } from '../libs/persistence/src/retention.repository';
import { describeFailure } from './pathway.activities';

export interface RetentionActivityDeps {
  retention: RetentionRepository;
  erasures: ErasureRepository;
  audit: AuditRepository;
  retentionPolicy: RetentionPolicy;
  personKeys: PersonKeys;
  /** Stops the pathway's workflow if it still runs (it has finished 30 days after closing; this is for safety). */
  terminatePathway: (pathwayId: string) => Promise<void>;
}

/** Who acts when the schedule erases: the system, on the coordinators' review having run out. */
export const RETENTION_ACTOR = 'retention';

export function createRetentionActivities({
  retention,
  erasures,
  audit,
  retentionPolicy,
  personKeys,
  terminatePathway,
}: RetentionActivityDeps) {
  return {
    /**
     * Opens the reviews that are due and returns them, with the reviews that ran out (to erase). Also rewraps person
     * keys still under an older master key, so a rotated-out master key can be removed a day later.
     */
    async retentionSweep(nowIso: string): Promise<{ opened: string[]; expired: string[] }> {
      try {
        const now = new Date(nowIso);
        await personKeys.rewrap();
        const opened = await retention.openReviews(retentionPolicy, now);
        return { opened, expired: await retention.expiredReviews(now) };
      } catch (err) {
        throw new Error(`retention sweep failed: ${describeFailure(err)}`);
      }
    },

    /** Erases one person whose review ran out: the key, the rows; the audit keeps the ids. */
    async eraseForRetention(pathwayId: string): Promise<void> {
      try {
        const standing = await erasures.find(pathwayId);
        // Kept or asked for by a coordinator since the sweep: their decision stands.
        if (standing?.status !== 'REVIEW') return;
        await audit.record({
          actor: RETENTION_ACTOR,
          action: 'ERASE_PERSON',
          pathwayId,
          purpose: 'CONTROL',
          legalBasis: LEGAL_BASES.CONTROL,
          reason: 'retention review ran out',
        });
        await terminatePathway(pathwayId);
        await erasures.erase(pathwayId, 'RETENTION', RETENTION_ACTOR);
      } catch (err) {
        throw new Error(`retention erasure failed: ${describeFailure(err)}`);
      }
    },
  };
}

export type RetentionActivities = ReturnType<typeof createRetentionActivities>;

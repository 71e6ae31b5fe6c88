// Loading a pathway's pinned playbook (issue 14, item 7): a pathway's input carries only the version and content
// hash of its playbook (PlaybookPin), and each run loads the document once, through loadPlaybook as a local
// activity, so the document is recorded in the run's history once and replay reads it from there. Published
// versions never change, so the documents are cached per worker process by content hash (a handful of versions: the
// cache is not bounded). A version whose stored document does not hash to the pin is a failure no retry mends.
import { ApplicationFailure } from '@temporalio/common';
import { contentHash, type Playbook, type PlaybookPin } from '../libs/domain/src';
import type { PlaybookRepository } from '../libs/persistence/src/playbook.repository';

export interface PlaybookActivityDeps {
  playbooks: PlaybookRepository;
}

/** The failure types a pin can meet; non-retryable. */
export const PLAYBOOK_NOT_PUBLISHED = 'PlaybookNotPublished';
export const PLAYBOOK_HASH_MISMATCH = 'PlaybookHashMismatch';

export function createPlaybookActivities({ playbooks }: PlaybookActivityDeps) {
  const byHash = new Map<string, Playbook>();

  /** The published document of the pin's version, if it hashes to the pin; the hash it has otherwise. */
  async function published(pin: PlaybookPin): Promise<{ playbook: Playbook } | { found: string | null }> {
    const cached = byHash.get(pin.contentHash);
    if (cached && cached.version === pin.version) return { playbook: cached };
    const row = await playbooks.find(pin.version);
    if (!row) return { found: null };
    const hash = contentHash(row.definition);
    if (hash !== pin.contentHash) return { found: hash };
    byHash.set(hash, row.definition);
    return { playbook: row.definition };
  }

  return {
    /** The pinned playbook; fails non-retryably when the version is not published or its content differs. */
    async loadPlaybook(pin: PlaybookPin): Promise<Playbook> {
      const result = await published(pin);
      if ('playbook' in result) return result.playbook;
      if (result.found === null)
        throw ApplicationFailure.nonRetryable(
          `playbook version ${pin.version} is not published`,
          PLAYBOOK_NOT_PUBLISHED,
        );
      throw ApplicationFailure.nonRetryable(
        `playbook version ${pin.version} does not match its pin: content hash ${result.found} is published, ` +
          `${pin.contentHash} was pinned`,
        PLAYBOOK_HASH_MISMATCH,
      );
    },

    /** Whether the pin's version is published with exactly that content (a run may then continue pinned). */
    async isPlaybookPublished(pin: PlaybookPin): Promise<boolean> {
      return 'playbook' in (await published(pin));
    },
  };
}

export type PlaybookActivities = ReturnType<typeof createPlaybookActivities>;

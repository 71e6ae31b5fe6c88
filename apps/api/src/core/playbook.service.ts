// Publishes the playbooks kept in the repository (libs/domain/playbooks) into the database at boot, and serves
// the newest one to new pathways, pinned by version and content hash (the workflow loads the document itself).
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { contentHash, validatePlaybook, type Playbook, type PlaybookPin } from '../../../../libs/domain/src';
import { PlaybookRepository } from '../../../../libs/persistence/src';
import { REFERENCE_DATA_TTL_MS, ShortLived } from './reference-data';
import playbookV1 from '../../../../libs/domain/playbooks/v1.json';
import playbookV2 from '../../../../libs/domain/playbooks/v2.json';
import playbookV3 from '../../../../libs/domain/playbooks/v3.json';

/**
 * Published at boot when absent; the newest (v3, docs/PLAYBOOK.md) is what new pathways start on. A published version
 * never changes, so a change to the bundled playbook is a new file with the next version.
 */
const BUNDLED: unknown[] = [playbookV1, playbookV2, playbookV3];

@Injectable()
export class PlaybookService implements OnModuleInit {
  /** Content hashes by version: a published version never changes. */
  private readonly hashes = new Map<number, string>();
  /**
   * The newest version's pin, for a few seconds: read per start, changed only by a publication. This process forgets
   * it when it publishes (forgetCurrent); another API process starts on the new version within REFERENCE_DATA_TTL_MS
   * (apps/api/src/core/reference-data.ts), and until then on the previous one, which stays published.
   */
  private readonly current = new ShortLived<'newest', PlaybookPin>(REFERENCE_DATA_TTL_MS);

  constructor(private readonly playbooks: PlaybookRepository) {}

  async onModuleInit(): Promise<void> {
    for (const document of BUNDLED) {
      // Version 1 predates purpose limitation (its oc-information task); the machine never plans that task.
      const errors = validatePlaybook(document, { purposeLimitation: (document as Playbook).version !== 1 });
      if (errors.length > 0)
        throw new Error(`bundled playbook is invalid: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
      await this.playbooks.publishIfAbsent(document as Playbook);
    }
  }

  /** The newest version's pin: what a new pathway's input carries instead of the document (issue 14, item 7). */
  currentPin(): Promise<PlaybookPin> {
    return this.current.get('newest', () => this.newestPin());
  }

  /** After this process published a version: its next start is pinned to it. */
  forgetCurrent(): void {
    this.current.forget();
  }

  private async newestPin(): Promise<PlaybookPin> {
    const version = await this.playbooks.latestVersion();
    if (version === null) throw new Error('no playbook is published');
    let hash = this.hashes.get(version);
    if (hash === undefined) {
      const row = await this.playbooks.find(version);
      if (!row) throw new Error(`playbook version ${version} is gone`);
      hash = contentHash(row.definition);
      this.hashes.set(version, hash);
    }
    return { version, contentHash: hash };
  }
}

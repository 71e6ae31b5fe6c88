// Publishing playbook versions. A version is immutable once stored; new pathways start on the newest, running
// pathways keep theirs until a coordinator migrates them (POST /pathways/:id/playbook-migration).
import { ConflictException, Injectable } from '@nestjs/common';
import { validatePlaybook, type Playbook } from '../../../../libs/domain/src';
import { PlaybookRepository, ReadRepository, type PlaybookEntity } from '../../../../libs/persistence/src';
import { PlaybookService } from '../core/playbook.service';
import { badRequest, notFound, type FieldError } from '../core/validation';
import type { PlaybookSummaryView, PlaybookView } from './playbook.dto';

function summaryOf(row: Pick<PlaybookEntity, 'version' | 'name' | 'publishedAt'>): PlaybookSummaryView {
  return { version: row.version, name: row.name, publishedAt: row.publishedAt.toISOString() };
}

/** Every agency code a (schema-valid) playbook hands work to or from, with where it stands in the document. */
function agencyReferences(playbook: Playbook): { field: string; code: string }[] {
  const references: { field: string; code: string }[] = [];
  for (const [stage, plan] of Object.entries(playbook.stages)) {
    plan?.tasks.forEach((task, i) => {
      references.push({ field: `stages.${stage}.tasks[${i}].agency`, code: task.agency });
      if (task.handoverTo !== undefined)
        references.push({ field: `stages.${stage}.tasks[${i}].handoverTo`, code: task.handoverTo });
    });
  }
  for (const [from, to] of Object.entries(playbook.ageHandover?.agencies ?? {})) {
    references.push({ field: `ageHandover.agencies.${from}`, code: from });
    references.push({ field: `ageHandover.agencies.${from}`, code: to });
  }
  return references;
}

@Injectable()
export class PlaybooksService {
  constructor(
    private readonly read: ReadRepository,
    private readonly playbooks: PlaybookRepository,
    private readonly pinned: PlaybookService,
  ) {}

  /** Who may publish is the policy's (playbook.publish, libs/domain/src/policy.ts). */
  async publish(document: unknown): Promise<PlaybookSummaryView> {
    const errors = validatePlaybook(document);
    if (errors.length > 0) throw badRequest(errors.map((e) => ({ field: e.path || 'body', reason: e.message })));
    const playbook = document as Playbook;
    // The agencies are rows, not code: the schema cannot know them, so they are checked once it holds.
    const unknown = await this.unknownAgencies(playbook);
    if (unknown.length > 0) throw badRequest(unknown);
    const result = await this.playbooks.publishNewer(playbook);
    // The next start in this process is pinned to what was just published (PlaybookService keeps the newest briefly).
    if ('published' in result) this.pinned.forgetCurrent();
    if ('newest' in result) {
      throw new ConflictException(
        `playbook version ${playbook.version} is not newer than the newest published version ${result.newest}`,
      );
    }
    return summaryOf(result.published);
  }

  async list(): Promise<PlaybookSummaryView[]> {
    return (await this.playbooks.list()).map(summaryOf);
  }

  async get(versionText: string): Promise<PlaybookView> {
    const version = /^[1-9][0-9]{0,6}$/.test(versionText) ? Number(versionText) : undefined;
    const row = version === undefined ? null : await this.playbooks.find(version);
    if (!row) throw notFound('playbook version', versionText, /^[0-9]{1,7}$/, 'no playbook with that version');
    return { ...summaryOf(row), definition: row.definition as unknown as Record<string, unknown> };
  }

  private async unknownAgencies(playbook: Playbook): Promise<FieldError[]> {
    const active = new Set((await this.read.listAgencies()).filter((a) => a.active).map((a) => a.code));
    return agencyReferences(playbook)
      .filter((ref) => !active.has(ref.code))
      .map((ref) => ({ field: ref.field, reason: `unknown agency '${ref.code}'` }));
  }
}

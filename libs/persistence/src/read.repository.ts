// Reads of the read model for the API: pathways, agency queues, agencies and playbooks.
import type { DataSource } from 'typeorm';
import { type Playbook, type Task, type TimelineEntry } from '../../domain/src';
import { AgencyEntity, PathwayEntity, PersonEntity, PlaybookEntity, TaskEntity, TimelineEntryEntity } from './entities';
import { decodeCursor, encodeCursor, isCursorId, isCursorInstant } from './cursor';

export interface PathwayFilter {
  stage?: string;
  track?: string;
  district?: string;
}

export interface PathwayPage {
  items: PathwayEntity[];
  nextCursor: string | null;
}

export interface PathwayCursor {
  openedAt: string;
  id: string;
}

export type PublishResult = { published: PlaybookEntity } | { newest: number };

export function toTask(row: TaskEntity): Task {
  return {
    id: row.id,
    pathwayId: row.pathwayId,
    key: row.key,
    stage: row.stage as Task['stage'],
    agency: row.agency,
    type: row.type,
    title: row.title,
    status: row.status as Task['status'],
    createdAt: row.createdAt.toISOString(),
    dueAt: row.dueAt.toISOString(),
    ...(row.assignee ? { assignee: row.assignee } : {}),
    ...(row.outcome ? { outcome: row.outcome } : {}),
    ...(row.completedAt ? { completedAt: row.completedAt.toISOString() } : {}),
    ...(row.completedBy ? { completedBy: row.completedBy } : {}),
    ...(row.cancelReason ? { cancelReason: row.cancelReason } : {}),
    overdue: row.overdue,
    escalationLevel: row.escalationLevel,
    ...(row.handoverTo
      ? { handover: { to: row.handoverTo, state: (row.handoverState ?? 'NOT_STARTED') as 'NOT_STARTED' } }
      : {}),
    ...(row.acknowledges ? { acknowledges: row.acknowledges } : {}),
  };
}

function toTimelineEntry(row: TimelineEntryEntity): TimelineEntry {
  return {
    id: row.id,
    sequence: row.sequence,
    at: row.at.toISOString(),
    kind: row.kind as TimelineEntry['kind'],
    ...(row.agency ? { agency: row.agency } : {}),
    ...(row.taskId ? { taskId: row.taskId } : {}),
    detail: row.detail,
  };
}

export class ReadRepository {
  constructor(private readonly dataSource: DataSource) {}

  findPathway(id: string): Promise<PathwayEntity | null> {
    return this.dataSource.getRepository(PathwayEntity).findOneBy({ id });
  }

  findPerson(pathwayId: string): Promise<PersonEntity | null> {
    return this.dataSource.getRepository(PersonEntity).findOneBy({ pathwayId });
  }

  async pathwayTasks(pathwayId: string): Promise<Task[]> {
    const rows = await this.dataSource
      .getRepository(TaskEntity)
      .find({ where: { pathwayId }, order: { createdAt: 'ASC', id: 'ASC' } });
    return rows.map(toTask);
  }

  async timeline(pathwayId: string): Promise<TimelineEntry[]> {
    const rows = await this.dataSource
      .getRepository(TimelineEntryEntity)
      .find({ where: { pathwayId }, order: { sequence: 'ASC' } });
    return rows.map(toTimelineEntry);
  }

  findTask(id: string): Promise<TaskEntity | null> {
    return this.dataSource.getRepository(TaskEntity).findOneBy({ id });
  }

  /**
   * Pathways newest first, keyset-paginated on (opened_at, id) to match pathways_list_idx and its per-filter
   * siblings. Reads the pathways table only: a list must never carry personal data.
   */
  async listPathways(filter: PathwayFilter, limit: number, after?: PathwayCursor): Promise<PathwayPage> {
    const query = this.dataSource
      .getRepository(PathwayEntity)
      .createQueryBuilder('p')
      .where('TRUE')
      .orderBy('p.openedAt', 'DESC')
      .addOrderBy('p.id', 'DESC')
      .limit(limit + 1);
    if (filter.stage !== undefined) query.andWhere('p.stage = :stage', { stage: filter.stage });
    if (filter.track !== undefined) query.andWhere('p.track = :track', { track: filter.track });
    if (filter.district !== undefined) query.andWhere('p.district = :district', { district: filter.district });
    if (after) query.andWhere('(p.opened_at, p.id) < (:openedAt::timestamptz, :id::uuid)', after);
    const rows = await query.getMany();
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    const more = rows.length > limit && last !== undefined;
    return {
      items,
      nextCursor: more ? encodePathwayCursor({ openedAt: last.openedAt.toISOString(), id: last.id }) : null,
    };
  }

  findAgency(code: string): Promise<AgencyEntity | null> {
    return this.dataSource.getRepository(AgencyEntity).findOneBy({ code });
  }

  listAgencies(): Promise<AgencyEntity[]> {
    return this.dataSource.getRepository(AgencyEntity).find({ order: { code: 'ASC' } });
  }

  async latestPlaybook(): Promise<Playbook | null> {
    const row = await this.dataSource.getRepository(PlaybookEntity).findOne({ where: {}, order: { version: 'DESC' } });
    return row?.definition ?? null;
  }

  findPlaybook(version: number): Promise<PlaybookEntity | null> {
    return this.dataSource.getRepository(PlaybookEntity).findOneBy({ version });
  }

  /** Every published version, newest first, without the documents. */
  listPlaybooks(): Promise<Pick<PlaybookEntity, 'version' | 'name' | 'publishedAt'>[]> {
    return this.dataSource
      .getRepository(PlaybookEntity)
      .find({ select: { version: true, name: true, publishedAt: true }, order: { version: 'DESC' } });
  }

  /** Stores a playbook only if its version is newer than every stored one; otherwise returns the newest. */
  publishNewerPlaybook(playbook: Playbook): Promise<PublishResult> {
    return this.dataSource.transaction(async (m) => {
      // Publishers queue behind each other (readers do not), so two of them cannot both see the same newest
      // version and store out of order.
      await m.query('LOCK TABLE playbooks IN SHARE ROW EXCLUSIVE MODE');
      const [{ newest }]: { newest: number | null }[] = await m.query('SELECT max(version) AS newest FROM playbooks');
      if (newest !== null && playbook.version <= newest) return { newest };
      await m.query('INSERT INTO playbooks (version, name, definition) VALUES ($1, $2, $3)', [
        playbook.version,
        playbook.name,
        playbook,
      ]);
      return { published: await m.getRepository(PlaybookEntity).findOneByOrFail({ version: playbook.version }) };
    });
  }

  /** Stores a playbook version unless that version is already there; returns whether it was new. */
  async publishPlaybook(playbook: Playbook): Promise<boolean> {
    const result: unknown[] = await this.dataSource.query(
      `INSERT INTO playbooks (version, name, definition) VALUES ($1, $2, $3)
       ON CONFLICT (version) DO NOTHING RETURNING version`,
      [playbook.version, playbook.name, playbook],
    );
    return result.length > 0;
  }
}

export function encodePathwayCursor(cursor: PathwayCursor): string {
  return encodeCursor('pathways', [cursor.openedAt, cursor.id]);
}

/** Undefined when the text is not a pathway-list cursor this API handed out. */
export function decodePathwayCursor(text: string): PathwayCursor | undefined {
  const key = decodeCursor(text, 'pathways', 2);
  if (!key) return undefined;
  const [openedAt, id] = key;
  return isCursorInstant(openedAt) && isCursorId(id) ? { openedAt, id } : undefined;
}

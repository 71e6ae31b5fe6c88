// Reads of the read model for the API: pathways, their people and timelines, and agencies. Tasks are read through
// task.repository.ts, playbooks (which the API also writes) through playbook.repository.ts.
import { IsNull, type DataSource } from 'typeorm';
import type { TimelineEntry } from '../../domain/src';
import { AgencyEntity, PathwayEntity, PersonEntity, TaskEntity, TimelineEntryEntity } from './entities';
import { decodeCursor, encodeCursor, isCursorId, isCursorInstant } from './cursor';
import type { PersonKeys } from './person-keys';
import type { SealedPerson } from './projection.repository';

export interface PathwayFilter {
  stage?: string;
  track?: string;
  district?: string;
  /** With an open task past its deadline (true) or without one (false). */
  overdue?: boolean;
  stalled?: boolean;
  /** NORMAL or HIGH (the meeting's CHANGE_PRIORITY). */
  priority?: string;
  /** The expected release falls from now to this many weeks ahead. */
  releaseWithinWeeks?: number;
  /** The person's 18th birthday falls from today to this many months ahead (Copenhagen dates). */
  turning18WithinMonths?: number;
}

export interface PathwayPage {
  items: PathwayEntity[];
  nextCursor: string | null;
}

export interface PathwayCursor {
  openedAt: string;
  id: string;
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

type FactsRow = { consent: boolean; stage: string; birthDate: string | null; sealed: Buffer | null; keyId: string };

export class ReadRepository {
  /** Without a keyring, sealed persons read as absent (a test that reads agencies only). */
  constructor(
    private readonly dataSource: DataSource,
    private readonly personKeys?: PersonKeys,
  ) {}

  /** The pathway, unless its person was erased (what is left is statistics, not a pathway anyone reads). */
  findPathway(id: string): Promise<PathwayEntity | null> {
    return this.dataSource.getRepository(PathwayEntity).findOneBy({ id, erasedAt: IsNull() });
  }

  /** The pathway row whether or not its person was erased (erasure, retention). */
  findPathwayRow(id: string): Promise<PathwayEntity | null> {
    return this.dataSource.getRepository(PathwayEntity).findOneBy({ id });
  }

  /** The sealed fields of a person row; undefined when the row has none or its key is destroyed. */
  private async unseal(sealed: Buffer | null, keyId: string | null): Promise<SealedPerson | undefined> {
    if (!sealed || !keyId || !this.personKeys) return undefined;
    return this.personKeys.open<SealedPerson>(keyId, sealed);
  }

  /** The person row with its sealed fields filled in; null when there is none or it can no longer be read. */
  private async opened(row: PersonEntity | null): Promise<PersonEntity | null> {
    if (!row || !row.sealed) return row;
    const fields = await this.unseal(row.sealed, row.keyId);
    if (!fields) return null;
    row.name = fields.name;
    row.birthDate = fields.birthDate;
    row.livesWithParents = fields.livesWithParents;
    row.contactContext = fields.contactContext;
    row.contactTargetGroup = fields.contactTargetGroup ?? null;
    return row;
  }

  /** What the legal basis of a read of this pathway depends on (libs/domain/src/audit.ts); null for no pathway. */
  async legalFacts(pathwayId: string): Promise<{ consent: boolean; stage: string; birthDate: string | null } | null> {
    const rows: FactsRow[] = await this.dataSource.query(
      `SELECT p.consent, p.stage, s.birth_date::text AS "birthDate", s.sealed, s.key_id::text AS "keyId"
         FROM pathways p LEFT JOIN persons s ON s.pathway_id = p.id WHERE p.id = $1`,
      [pathwayId],
    );
    return rows[0] ? this.factsOf(rows[0]) : null;
  }

  private async factsOf(row: FactsRow): Promise<{ consent: boolean; stage: string; birthDate: string | null }> {
    const birthDate = row.birthDate ?? (await this.unseal(row.sealed, row.keyId))?.birthDate ?? null;
    return { consent: row.consent, stage: row.stage, birthDate };
  }

  /** legalFacts for several pathways (a queue page's), by pathway id; an unknown id is left out. */
  async legalFactsOf(
    pathwayIds: readonly string[],
  ): Promise<Map<string, { consent: boolean; stage: string; birthDate: string | null }>> {
    if (pathwayIds.length === 0) return new Map();
    const rows: (FactsRow & { id: string })[] = await this.dataSource.query(
      `SELECT p.id::text AS id, p.consent, p.stage, s.birth_date::text AS "birthDate", s.sealed,
              s.key_id::text AS "keyId"
         FROM pathways p LEFT JOIN persons s ON s.pathway_id = p.id WHERE p.id = ANY($1::uuid[])`,
      [[...new Set(pathwayIds)]],
    );
    const facts = await Promise.all(rows.map(async (row) => [row.id, await this.factsOf(row)] as const));
    return new Map(facts);
  }

  async findPerson(pathwayId: string): Promise<PersonEntity | null> {
    return this.opened(await this.dataSource.getRepository(PersonEntity).findOneBy({ pathwayId }));
  }

  /** The display names of the persons behind these pathways (a queue page's), by pathway id. */
  async personNames(pathwayIds: readonly string[]): Promise<Map<string, string>> {
    if (pathwayIds.length === 0) return new Map();
    const rows: { pathway_id: string; name: string | null; sealed: Buffer | null; key_id: string | null }[] =
      await this.dataSource.query(
        `SELECT pathway_id, name, sealed, key_id::text AS key_id FROM persons WHERE pathway_id = ANY($1::uuid[])`,
        [[...new Set(pathwayIds)]],
      );
    const names = new Map<string, string>();
    for (const r of rows) {
      const name = r.name ?? (await this.unseal(r.sealed, r.key_id))?.name;
      if (name !== undefined) names.set(r.pathway_id, name);
    }
    return names;
  }

  /**
   * The person a task is about, as the task's own agency may see them: while the task is open, and for `days` days
   * after it ended (done or cancelled); null after that. Decided by the database's clock in the same statement that
   * reads the person, so no caller can forget the time limit.
   */
  async personThroughTask(taskId: string, days: number): Promise<PersonEntity | null> {
    const row = await this.dataSource
      .getRepository(PersonEntity)
      .createQueryBuilder('person')
      .innerJoin(TaskEntity, 'task', 'task.pathway_id = person.pathway_id')
      .where('task.id = :taskId', { taskId })
      .andWhere('(task.completed_at IS NULL OR task.completed_at > now() - make_interval(days => :days))', { days })
      .getOne();
    return this.opened(row);
  }

  async timeline(pathwayId: string): Promise<TimelineEntry[]> {
    const rows = await this.dataSource
      .getRepository(TimelineEntryEntity)
      .find({ where: { pathwayId }, order: { sequence: 'ASC' } });
    return rows.map(toTimelineEntry);
  }

  /**
   * Pathways newest first, keyset-paginated on (opened_at, id) to match pathways_list_idx and its per-filter
   * siblings. Reads the pathways table only: a list must never carry personal data.
   */
  async listPathways(filter: PathwayFilter, limit: number, after?: PathwayCursor): Promise<PathwayPage> {
    const query = this.dataSource
      .getRepository(PathwayEntity)
      .createQueryBuilder('p')
      .where('p.erased_at IS NULL')
      .orderBy('p.openedAt', 'DESC')
      .addOrderBy('p.id', 'DESC')
      .limit(limit + 1);
    if (filter.stage !== undefined) query.andWhere('p.stage = :stage', { stage: filter.stage });
    if (filter.track !== undefined) query.andWhere('p.track = :track', { track: filter.track });
    if (filter.district !== undefined) query.andWhere('p.district = :district', { district: filter.district });
    if (filter.overdue !== undefined) {
      const open = `EXISTS (SELECT 1 FROM tasks t WHERE t.pathway_id = p.id AND t.status IN ('OPEN', 'CLAIMED') AND t.overdue)`;
      query.andWhere(filter.overdue ? open : `NOT ${open}`);
    }
    if (filter.stalled !== undefined) query.andWhere('p.stalled = :stalled', { stalled: filter.stalled });
    if (filter.priority !== undefined) query.andWhere('p.priority = :priority', { priority: filter.priority });
    if (filter.releaseWithinWeeks !== undefined) {
      query.andWhere(
        `p.expected_release_at >= now() AND p.expected_release_at < now() + make_interval(weeks => :weeks)`,
        { weeks: filter.releaseWithinWeeks },
      );
    }
    if (filter.turning18WithinMonths !== undefined) {
      // The birthday as a Copenhagen date: from today to N months ahead, both ends included.
      query.andWhere(
        `EXISTS (SELECT 1 FROM persons pe WHERE pe.pathway_id = p.id
           AND (pe.birth_date + interval '18 years')::date
               BETWEEN (now() AT TIME ZONE 'Europe/Copenhagen')::date
                   AND ((now() AT TIME ZONE 'Europe/Copenhagen')::date + make_interval(months => :months))::date)`,
        { months: filter.turning18WithinMonths },
      );
    }
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

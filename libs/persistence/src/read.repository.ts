// Reads of the read model for the API: pathways, agency queues, agencies and playbooks.
import type { DataSource } from 'typeorm';
import type { Playbook, Task, TimelineEntry } from '../../domain/src';
import { AgencyEntity, PathwayEntity, PersonEntity, PlaybookEntity, TaskEntity, TimelineEntryEntity } from './entities';

export interface QueuePage {
  items: Task[];
  nextCursor: string | null;
}

export interface QueueCursor {
  dueAt: string;
  id: string;
}

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

  /** An agency's open tasks, earliest due first, keyset-paginated on (due_at, id) to match its index. */
  async agencyQueue(agency: string, limit: number, after?: QueueCursor): Promise<QueuePage> {
    const query = this.dataSource
      .getRepository(TaskEntity)
      .createQueryBuilder('t')
      .where('t.agency_code = :agency', { agency })
      .andWhere("t.status IN ('OPEN', 'CLAIMED')")
      .orderBy('t.dueAt', 'ASC')
      .addOrderBy('t.id', 'ASC')
      .limit(limit + 1);
    if (after) query.andWhere('(t.due_at, t.id) > (:dueAt::timestamptz, :id::uuid)', after);
    const rows = await query.getMany();
    const items = rows.slice(0, limit).map(toTask);
    const last = items[items.length - 1];
    const more = rows.length > limit && last !== undefined;
    return { items, nextCursor: more ? encodeCursor({ dueAt: last.dueAt, id: last.id }) : null };
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

export function encodeCursor(cursor: QueueCursor): string {
  return Buffer.from(JSON.stringify([cursor.dueAt, cursor.id])).toString('base64url');
}

/** Undefined when the text is not a cursor this API handed out. */
export function decodeCursor(text: string): QueueCursor | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return undefined;
    const [dueAt, id] = value;
    if (typeof dueAt !== 'string' || Number.isNaN(Date.parse(dueAt))) return undefined;
    if (typeof id !== 'string' || !/^[0-9a-f-]{36}$/.test(id)) return undefined;
    return { dueAt, id };
  } catch {
    return undefined;
  }
}
